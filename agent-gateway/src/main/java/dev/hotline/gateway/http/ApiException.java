package dev.hotline.gateway.http;

/** A request the gateway refuses, answered as {@code {"error": ..., "detail": ...}} with {@code status}. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;

    public ApiException(int status, String error, String detail) {
        this(status, error, detail, null);
    }

    /** With the body field at fault, answered as {@code "field"} so a page can show the message next to it. */
    public ApiException(int status, String error, String detail, String field) {
        super(detail, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    /** The request body field the error is about, when it is about one. */
    public java.util.Optional<String> field() {
        return java.util.Optional.ofNullable(field);
    }

    /** 400 about one body field. */
    public static ApiException badField(String field, String detail) {
        return new ApiException(400, "bad request", detail, field);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad request", detail);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "conflict", detail);
    }
}
