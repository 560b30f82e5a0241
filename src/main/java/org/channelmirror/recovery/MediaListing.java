package org.channelmirror.recovery;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectKeys;
import org.channelmirror.storage.ObjectStore;

/**
 * The media objects of the bucket, listed once: their sizes come from the listing, a page of a
 * thousand objects per request, instead of one HEAD request per object.
 *
 * <p>Only keys directly under {@code <prefix>media/} are media objects: the layout's key segment
 * never holds a slash, so {@code <prefix>media/x/...} belongs to something else, for example
 * another instance whose prefix is {@code <prefix>media/x/}.
 */
final class MediaListing {
  private final ObjectStore store;
  private final Map<String, ObjectInfo> objects;

  private MediaListing(ObjectStore store, Map<String, ObjectInfo> objects) {
    this.store = store;
    this.objects = objects;
  }

  static MediaListing of(ObjectStore store) {
    String base = ObjectKeys.mediaFolder(store.prefix());
    Map<String, ObjectInfo> objects = new LinkedHashMap<>();
    for (ObjectInfo o : store.list(base)) {
      if (ObjectKeys.inMediaFolder(base, o.key())) {
        objects.put(o.key(), o);
      }
    }
    return new MediaListing(store, objects);
  }

  /**
   * The object at {@code key}: from the listing, else asked of the server (a key outside the listing,
   * or an object written since the listing); empty when it does not exist.
   */
  Optional<ObjectInfo> find(String key) {
    ObjectInfo listed = objects.get(key);
    return listed != null ? Optional.of(listed) : store.head(key);
  }

  /** Every media object listed, in key order. */
  Collection<ObjectInfo> all() {
    return Collections.unmodifiableCollection(objects.values());
  }
}
