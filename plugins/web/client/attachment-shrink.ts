/** Longest side, in pixels, a photo is shrunk to before it is kept, unless its field says otherwise. */
export const DEFAULT_PHOTO_MAX_DIMENSION = 1600;
/** JPEG or WebP quality of a shrunk photo. */
export const PHOTO_QUALITY = 0.8;

/** Photos re-encoded in their own type; PNG (drawings, screenshots, fingerprints) is kept as it is. */
const SHRINKABLE = new Set(['image/jpeg', 'image/webp']);

/**
 * The size a picture of `width`×`height` is drawn at so its longest side is at most `max`, the
 * proportions kept; its own size (and `shrink: false`) when it is within already or `max` is 0.
 */
export function shrunkSize(
  width: number,
  height: number,
  max: number,
): { width: number; height: number; shrink: boolean } {
  if (!(max > 0) || !(width > 0) || !(height > 0) || (width <= max && height <= max))
    return { width, height, shrink: false };
  const scale = max / Math.max(width, height);
  return {
    width: Math.min(max, Math.max(1, Math.round(width * scale))),
    height: Math.min(max, Math.max(1, Math.round(height * scale))),
    shrink: true,
  };
}

/**
 * A camera photo made smaller on the device before it is kept and queued: drawn on a canvas with
 * its longest side at most `max` pixels (turned as its EXIF says, whose other data, the location
 * included, is not carried over), JPEG or WebP at quality 0.8. A photo within the size, a type
 * the browser cannot redraw, or a result no smaller than the original is kept as it is.
 */
export async function shrinkPhoto(file: File, max: number): Promise<File> {
  if (!SHRINKABLE.has(file.type) || !(max > 0)) return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file; // not a picture this browser decodes: the runtime and the server judge it as it is
  }
  try {
    const size = shrunkSize(bitmap.width, bitmap.height, max);
    if (!size.shrink) return file;
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const g = canvas.getContext('2d');
    if (!g) return file;
    g.imageSmoothingQuality = 'high';
    g.drawImage(bitmap, 0, 0, size.width, size.height);
    const blob = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, file.type, PHOTO_QUALITY));
    if (!blob || blob.type !== file.type || blob.size >= file.size) return file;
    return new File([blob], file.name, { type: file.type, lastModified: file.lastModified });
  } finally {
    bitmap.close();
  }
}
