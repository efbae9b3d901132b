package org.jpkl.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.jpkl.api.spi.support.RemoteObjectSource;
import org.jpkl.api.spi.support.RemoteSettings;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * An S3 object read by ranged GetObject requests. The first request (see {@link RemoteObjectSource})
 * pins the object's ETag, and its version id when the bucket is versioned: later requests ask for
 * that version ({@code versionId}) or send {@code If-Match: etag}, so a replaced object fails with
 * "the object changed since it was opened" instead of mixing two versions.
 *
 * <p>Thread safety: reads may run concurrently.
 */
final class S3ObjectSource extends RemoteObjectSource {
    private static final int COPY_CHUNK = 1 << 16;

    private final S3Client client;
    private final S3Location location;
    /** The version id seen by the first request, or null (unversioned bucket). */
    private volatile String versionId;

    private S3ObjectSource(S3Location location, RemoteSettings settings, S3Client client) {
        super(location.uri(), settings);
        this.client = client;
        this.location = location;
    }

    /** Opens the object: one ranged GET (the first {@code s3.head-bytes}). */
    static S3ObjectSource open(S3Location location, RemoteSettings settings, S3Client client) throws IOException {
        S3ObjectSource source = new S3ObjectSource(location, settings, client);
        source.connect();
        return source;
    }

    @Override
    protected ObjectInfo fetch(long position, ByteBuffer dst, ObjectInfo pinned) throws IOException {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(location.bucket()).key(location.key())
                .range("bytes=" + position + "-" + (position + dst.remaining() - 1));
        String version = versionId;
        if (pinned != null) {
            if (version != null) {
                request.versionId(version);
            }
            if (pinned.version() != null) {
                request.ifMatch(pinned.version());
            }
        }
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(request.build())) {
            GetObjectResponse response = in.response();
            if (pinned == null) {
                versionId = response.versionId();
            }
            ObjectInfo info = new ObjectInfo(totalSize(response, position), response.eTag());
            long due = Math.max(0, Math.min(dst.remaining(), info.size() - position));
            copy(in, dst, due);
            return info;
        } catch (AwsServiceException e) {
            if (e.statusCode() == 416 && pinned == null) {
                return emptyObject();
            }
            throw S3Errors.of(name(), S3Errors.READING + "bytes " + position + ".." + (position + dst.remaining()), e);
        } catch (SdkException e) {
            throw S3Errors.of(name(), S3Errors.READING + "bytes " + position + ".." + (position + dst.remaining()), e);
        }
    }

    /** A range of an empty object is unsatisfiable (416): its size and ETag come from a HEAD. */
    private ObjectInfo emptyObject() throws IOException {
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(location.bucket()).key(location.key()));
            versionId = head.versionId();
            return new ObjectInfo(head.contentLength(), head.eTag());
        } catch (SdkException e) {
            throw S3Errors.of(name(), S3Errors.READING + "the size", e);
        }
    }

    /** The object's size from {@code Content-Range: bytes a-b/SIZE}, else the length of a whole-object answer. */
    private long totalSize(GetObjectResponse response, long position) throws IOException {
        String range = response.contentRange();
        if (range != null) {
            int slash = range.lastIndexOf('/');
            if (slash >= 0 && !range.endsWith("*")) {
                try {
                    return Long.parseLong(range.substring(slash + 1).trim());
                } catch (NumberFormatException e) {
                    // Reported below.
                }
            }
            throw new IOException(name() + ": the store answered a ranged GET with Content-Range '" + range + "'");
        }
        if (position == 0 && response.contentLength() != null) {
            return response.contentLength();
        }
        throw new IOException(name() + ": the store answered a ranged GET at offset " + position + " without Content-Range");
    }

    private void copy(InputStream in, ByteBuffer dst, long due) throws IOException {
        byte[] chunk = dst.hasArray() ? null : new byte[(int) Math.min(COPY_CHUNK, Math.max(1, due))];
        long left = due;
        while (left > 0) {
            int n;
            if (chunk == null) {
                n = in.read(dst.array(), dst.arrayOffset() + dst.position(), (int) Math.min(left, dst.remaining()));
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                n = in.read(chunk, 0, (int) Math.min(left, chunk.length));
                if (n > 0) {
                    dst.put(chunk, 0, n);
                }
            }
            if (n < 0) {
                throw new java.io.EOFException(name() + ": the response ended " + left + " bytes early");
            }
            left -= n;
        }
    }

    /** The version id pinned at open, or null when the bucket is not versioned. */
    String versionId() {
        return versionId;
    }
}
