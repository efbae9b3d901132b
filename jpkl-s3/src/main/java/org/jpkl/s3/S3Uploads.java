package org.jpkl.s3;

import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Aborting a multipart upload, the one way {@link S3Output} and {@link S3Assembly} do it: again after
 * a pause when the store refuses. S3 documents that an abort may have to be repeated while a part is
 * still being stored, and S3Proxy answers 400 then (a CI run left an upload behind that way).
 *
 * <p>Thread safety: stateless.
 */
final class S3Uploads {
    /** Attempts at aborting, and the pause before the second (doubled before each next one). */
    static final int ABORT_ATTEMPTS = 4;
    private static final long ABORT_FIRST_PAUSE_MILLIS = 250;

    private S3Uploads() {
    }

    /**
     * Aborts upload {@code uploadId} of {@code to}, up to {@link #ABORT_ATTEMPTS} times.
     *
     * @return the last attempt's failure, or empty once aborted (or when interrupted while pausing: the
     *     thread's interrupt status is set again and the last failure returned)
     */
    static Optional<SdkException> abort(S3Client client, S3Location to, String uploadId) {
        long pause = ABORT_FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                client.abortMultipartUpload(b -> b.bucket(to.bucket()).key(to.key()).uploadId(uploadId));
                return Optional.empty();
            } catch (SdkException e) {
                if (attempt == ABORT_ATTEMPTS) {
                    return Optional.of(e);
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return Optional.of(e);
                }
                pause *= 2;
            }
        }
    }
}
