package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.SpoolRecord;

/**
 * A spool in S3 (or any S3-compatible object store): one object per event under a prefix.
 * A successful PUT is durable, so {@link #write} returns only once the object is stored.
 *
 * <p>
 * Thread-safe (the S3 client is).
 */
public class S3Spool implements EventSpool {

	private static final String SUFFIX = ".event";

	private final S3Client s3;

	private final String bucket;

	private final String prefix;

	private final SpoolKeys keys = new SpoolKeys();

	/**
	 * @param s3 the client
	 * @param bucket the bucket, which must exist
	 * @param prefix the key prefix, for example {@code event-gateway/spool/}
	 */
	public S3Spool(S3Client s3, String bucket, String prefix) {
		this.s3 = s3;
		this.bucket = bucket;
		this.prefix = prefix;
	}

	@Override
	public String write(Event event, String intendedTopic) throws IOException {
		String key = this.prefix + this.keys.next(event.getEventId(), SUFFIX);
		byte[] content = SpoolRecord.newBuilder().setEvent(event).setIntendedTopic(intendedTopic).build().toByteArray();
		try {
			this.s3.putObject((request) -> request.bucket(this.bucket).key(key), RequestBody.fromBytes(content));
			return key;
		}
		catch (SdkException ex) {
			throw new IOException("S3 PUT of " + key + " to " + this.bucket + " failed", ex);
		}
	}

	@Override
	public List<String> keys() throws IOException {
		try {
			return this.s3.listObjectsV2Paginator((request) -> request.bucket(this.bucket).prefix(this.prefix))
				.contents()
				.stream()
				.map(S3Object::key)
				.filter((key) -> key.endsWith(SUFFIX))
				.sorted()
				.toList();
		}
		catch (SdkException ex) {
			throw new IOException("Listing " + this.bucket + "/" + this.prefix + " failed", ex);
		}
	}

	@Override
	public SpooledEvent read(String key) throws IOException {
		try {
			SpoolRecord record = SpoolRecord
				.parseFrom(this.s3.getObjectAsBytes((request) -> request.bucket(this.bucket).key(key)).asByteArray());
			return new SpooledEvent(record.getEvent(), record.getIntendedTopic());
		}
		catch (NoSuchKeyException ex) {
			// As a directory spool says it, so a replayer can tell "gone" from "failed".
			NoSuchFileException gone = new NoSuchFileException(key);
			gone.initCause(ex);
			throw gone;
		}
		catch (SdkException ex) {
			throw new IOException("S3 GET of " + key + " failed", ex);
		}
	}

	@Override
	public java.time.Instant writtenAt(String key) {
		return key.startsWith(this.prefix) ? SpoolKeys.writtenAt(key.substring(this.prefix.length())) : null;
	}

	@Override
	public void delete(String key) throws IOException {
		try {
			this.s3.deleteObject((request) -> request.bucket(this.bucket).key(key));
		}
		catch (SdkException ex) {
			throw new IOException("S3 DELETE of " + key + " failed", ex);
		}
	}

}
