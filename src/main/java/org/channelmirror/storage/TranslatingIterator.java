package org.channelmirror.storage;

import java.util.Iterator;
import java.util.function.Function;

/** Maps elements, and turns SDK failures during lazy paging into {@link StorageException}s. */
final class TranslatingIterator<A, B> implements Iterator<B> {
  private final String what;
  private final Iterator<A> source;
  private final Function<A, B> mapper;

  TranslatingIterator(String what, Iterator<A> source, Function<A, B> mapper) {
    this.what = what;
    this.source = source;
    this.mapper = mapper;
  }

  @Override
  public boolean hasNext() {
    return ObjectStore.call(what, source::hasNext);
  }

  @Override
  public B next() {
    return mapper.apply(ObjectStore.call(what, source::next));
  }
}
