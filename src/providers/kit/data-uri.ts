import type { ResolvedImage } from './lifecycle.js'

/**
 * An image's bytes as a `data:<mediaType>;base64,...` URI, for vendors that take an image inline
 * in a JSON body (MiniMax's `first_frame_image`, Runway's `promptImage`). A media type that is
 * not `image/*` is a `TypeError` naming `image` for `provider`.
 */
export function imageDataUri(
  image: Extract<ResolvedImage, { kind: 'bytes' }>,
  provider: string,
): string {
  if (!image.mediaType.startsWith('image/')) {
    throw new TypeError(
      `Expected \`image\` to be an image for ${provider}, got media type ${JSON.stringify(image.mediaType)}`,
    )
  }
  // In chunks: spreading a whole video-sized array into fromCharCode overflows the stack.
  let binary = ''
  for (let index = 0; index < image.bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...image.bytes.subarray(index, index + 0x8000))
  }
  return `data:${image.mediaType};base64,${btoa(binary)}`
}
