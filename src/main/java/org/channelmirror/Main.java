package org.channelmirror;

public final class Main {
  public static void main(String[] args) {
    System.out.println("channel-mirror");
  }
}
