package org.jpkl.s3;

import java.io.IOException;
import org.jpkl.api.spi.support.RemoteObjectSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * SDK failures as the {@link IOException}s the library's callers expect, naming the object: 403 and
 * 404 as {@link RemoteObjectSource#forbidden} and {@link RemoteObjectSource#notFound}, 412 as
 * {@link RemoteObjectSource#changed}, 5xx, throttling and network failures as retriable.
 */
final class S3Errors {
    /** The start of every read operation's description: only reads turn 404 into {@link java.io.FileNotFoundException}. */
    static final String READING = "reading ";

    private S3Errors() {
    }

    /** The status and error code of a service failure, e.g. {@code HTTP 404 NoSuchKey}. */
    static String status(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return "HTTP " + e.statusCode() + (code == null || code.isEmpty() ? "" : " " + code);
    }

    /**
     * {@code e} as an IOException naming {@code name}.
     *
     * @param what the operation, e.g. {@code "reading bytes 0..1024"} (reads start with {@link #READING}),
     *     {@code "uploading part 3"}; a 404 of a write (no such bucket) is a plain IOException with the store's message
     */
    static IOException of(String name, String what, SdkException e) {
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            int status = service.statusCode();
            String text = status(service);
            if (status == 404 && what.startsWith(READING)) {
                return RemoteObjectSource.notFound(name, text);
            }
            if (status == 403) {
                return RemoteObjectSource.forbidden(name, text);
            }
            if (status == 412) {
                return RemoteObjectSource.changed(name, text + ": its ETag is no longer the one seen at open");
            }
            if (status >= 500 || status == 429 || service.isThrottlingException()) {
                return new RemoteObjectSource.RetriableException(name + ": " + what + " failed (" + text + ")", e);
            }
            return new IOException(name + ": " + what + " failed (" + text + ": " + message(service) + ")", e);
        }
        if (e instanceof SdkClientException && ioCause(e) != null) {
            IOException io = ioCause(e);
            return new RemoteObjectSource.RetriableException(name + ": " + what + " failed (" + io + ")", e);
        }
        return new IOException(name + ": " + what + " failed: " + e.getMessage(), e);
    }

    private static String message(AwsServiceException e) {
        String m = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return m == null ? e.getMessage() : m;
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return (IOException) t;
            }
        }
        return null;
    }
}
