package org.channelmirror.web;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Draws the dashboard's PNG icons with the geometry of its {@code icon.svg}, full-bleed so that
 * they also serve as "maskable" icons (the launcher cuts its own shape). Run it after changing
 * the SVG: {@code java -cp target/test-classes org.channelmirror.web.DashboardIcons
 * src/main/resources/org/channelmirror/web/dashboard}.
 */
public final class DashboardIcons {
  private DashboardIcons() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    for (int size : new int[] {192, 512}) {
      BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
      Graphics2D g = img.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.scale(size / 512.0, size / 512.0);
      g.setColor(new Color(0x1f6feb));
      g.fillRect(0, 0, 512, 512);
      g.setColor(Color.WHITE);
      g.fill(new Rectangle2D.Double(234, 112, 44, 176)); // the arrow's shaft
      Path2D head = new Path2D.Double();
      head.moveTo(160, 256);
      head.lineTo(352, 256);
      head.lineTo(256, 360);
      head.closePath();
      g.fill(head);
      Path2D tray = new Path2D.Double();
      tray.moveTo(136, 320);
      tray.lineTo(136, 384);
      tray.quadTo(136, 416, 168, 416);
      tray.lineTo(344, 416);
      tray.quadTo(376, 416, 376, 384);
      tray.lineTo(376, 320);
      g.setStroke(new BasicStroke(40, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.draw(tray);
      g.dispose();
      ImageIO.write(img, "png", Path.of(args[0], "icon-" + size + ".png").toFile());
    }
  }
}
