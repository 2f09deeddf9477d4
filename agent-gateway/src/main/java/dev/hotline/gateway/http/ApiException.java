package dev.hotline.gateway.http;

/** A request the gateway refuses, answered as {@code {"error": ..., "detail": ...}} with {@code status}. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;
    private final java.time.Duration retryAfter;

    public ApiException(int status, String error, String detail) {
        this(status, error, detail, null);
    }

    /** With the body field at fault, answered as {@code "field"} so a page can show the message next to it. */
    public ApiException(int status, String error, String detail, String field) {
        this(status, error, detail, field, null);
    }

    private ApiException(int status, String error, String detail, String field, java.time.Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
        this.retryAfter = retryAfter;
    }

    /** 429 with a {@code Retry-After} header of {@code retryAfter} (whole seconds, at least 1). */
    public static ApiException tooManyRequests(String detail, java.time.Duration retryAfter) {
        return new ApiException(429, "too many requests", detail, null, retryAfter);
    }

    /** When to try again, for the {@code Retry-After} header: whole seconds, rounded up, at least 1. */
    public java.util.Optional<Long> retryAfterSeconds() {
        return retryAfter == null ? java.util.Optional.empty()
                : java.util.Optional.of(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
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
