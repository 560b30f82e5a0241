package org.channelmirror.storage;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** Takes the optional operations away while {@link #limited} is set, and counts UploadPart calls. */
public final class MinimalBlobStore extends ForwardingBlobStore {
  public volatile boolean limited = true;
  public final AtomicInteger partUploads = new AtomicInteger();
  /** Refuses PutObject of media objects (501), as a server with a broken or missing feature would. */
  public volatile boolean refuseMediaPuts;

  public MinimalBlobStore(BlobStore delegate) {
    super(delegate);
  }

  /**
   * Refuses when S3Proxy serves the request itself ({@code handler}, its method for that S3
   * operation), not when it calls the same store method internally (CompleteMultipartUpload
   * lists the parts it combines).
   */
  private void refuse(String operation, String handler) {
    if (limited && StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals(handler)))) {
      throw new UnsupportedOperationException(operation + " is not implemented by this server");
    }
  }

  /** ListParts fails with a server error (500), as Adobe S3Mock's does for an upload it lost in a restart. */
  public volatile boolean listPartsBroken;

  @Override
  public List<Part> listMultipartUpload(MultipartUpload upload) {
    if (listPartsBroken && StackWalker.getInstance().walk(f -> f.anyMatch(x -> x.getMethodName().equals("handleListParts")))) {
      throw new RuntimeException("simulated: the server lost this upload's state"); // S3Proxy: 500
    }
    refuse("ListParts", "handleListParts");
    return super.listMultipartUpload(upload);
  }

  @Override
  public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
    refuse("ListMultipartUploads", "handleListMultipartUploads");
    return super.listMultipartUploads(container);
  }

  @Override
  public void abortMultipartUpload(MultipartUpload upload) {
    refuse("AbortMultipartUpload", "handleAbortMultipartUpload");
    super.abortMultipartUpload(upload);
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    refuse("CopyObject", "handleCopyBlob");
    return super.copyBlob(request);
  }

  @Override
  public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream in) {
    partUploads.incrementAndGet();
    return super.uploadMultipartPart(upload, request, in);
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
    if (refuseMediaPuts && request.key().startsWith("media/")) {
      throw new UnsupportedOperationException("PutObject of media is refused by this server");
    }
    return super.putBlob(request, in);
  }
}
