import { useEffect } from 'react';

const HEX = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i;

/** WCAG's relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [, ...parts] = HEX.exec(hex) ?? [];
  const [r, g, b] = parts.map((p) => {
    const c = Number.parseInt(p, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/** WCAG's contrast ratio of two #rrggbb colours (1 to 21). */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The page's background and surface: text in the accent must read on both. */
const BACKGROUNDS = ['#ffffff', '#f6f7f9'];

/**
 * The CSS custom properties a team's accent colour sets: the colour of primary buttons and the
 * bar above the page, with black or white text on it (whichever reads better: one of them
 * always reaches 4.5:1); and links in the accent only where it reads as text on the page.
 */
function accentProperties(color: string): Record<string, string> {
  const onAccent = contrast(color, '#000000') >= contrast(color, '#ffffff') ? '#000000' : '#ffffff';
  const properties: Record<string, string> = {
    '--accent': color,
    '--on-accent': onAccent,
    // Hover moves away from the text colour, so the label reads at least as well.
    '--accent-hover': `color-mix(in srgb, ${color} 85%, ${onAccent === '#000000' ? '#ffffff' : '#000000'})`,
  };
  if (BACKGROUNDS.every((bg) => contrast(color, bg) >= 4.5)) properties['--primary'] = color;
  return properties;
}

/**
 * Sets the accent on the document through the CSSOM (the page's CSP allows no inline styles),
 * and takes it off again when the portal unmounts. A colour that is not #rrggbb is ignored.
 */
export function useAccent(color: string | undefined): void {
  useEffect(() => {
    if (!color || !HEX.test(color)) return;
    const style = document.documentElement.style;
    const properties = accentProperties(color);
    for (const [name, value] of Object.entries(properties)) style.setProperty(name, value);
    return () => {
      for (const name of Object.keys(properties)) style.removeProperty(name);
    };
  }, [color]);
}

/** A logo is shown only from https (the API accepts nothing else, and the page checks again). */
export const safeLogo = (url: string | undefined): string | undefined =>
  url && /^https:\/\/[^\s]+$/i.test(url) ? url : undefined;
