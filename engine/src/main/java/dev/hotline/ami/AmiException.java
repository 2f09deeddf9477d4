package dev.hotline.ami;

/** An AMI action failed or AMI is down; the message names the server, the action and the reason. */
final class AmiException extends RuntimeException {

    public AmiException(String message) {
        super(message);
    }
}
