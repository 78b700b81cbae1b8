/*
 * image_verify.c — the streaming SHA-256 verifier over an image in memory, in flash, and as it
 * was loaded into RAM (docs/image-format.md, "What is hashed"). Freestanding.
 */
#include "h7_image.h"

void h7_image_verify_begin(struct h7_image_verifier *v, const struct h7_image_info *info)
{
    h7_sha256_init(&v->sha);
    v->want = info->image_size;
    v->seen = 0;
}

void h7_image_verify_update(struct h7_image_verifier *v, const void *data, size_t len)
{
    uint32_t room = v->want - v->seen;
    size_t n = len < room ? len : room;
    if (n)
        h7_sha256_update(&v->sha, data, n);
    v->seen += (uint32_t)n;
}

static bool digest_equal(const uint8_t *a, const uint8_t *b)
{
    uint8_t diff = 0; /* no early exit: the time does not say where they differ */
    for (int i = 0; i < H7_IMAGE_HASH_SIZE; i++)
        diff |= a[i] ^ b[i];
    return diff == 0;
}

int h7_image_verify_end(struct h7_image_verifier *v, const uint8_t expected[H7_IMAGE_HASH_SIZE],
                        uint8_t actual[H7_IMAGE_HASH_SIZE])
{
    uint8_t digest[H7_IMAGE_HASH_SIZE];
    if (v->seen < v->want)
        return H7_IMAGE_E_TRUNCATED;
    if (h7_sha256_final(&v->sha, digest)) /* the hash engine failed: no digest, no match */
        return H7_IMAGE_E_IO;
    if (actual)
        for (int i = 0; i < H7_IMAGE_HASH_SIZE; i++)
            actual[i] = digest[i];
    return expected && digest_equal(digest, expected) ? H7_IMAGE_OK : H7_IMAGE_E_HASH;
}

int h7_image_verify_mapped(const struct h7_image_info *info, const void *image, size_t len,
                           uint8_t actual[H7_IMAGE_HASH_SIZE])
{
    if (!info || !image)
        return H7_IMAGE_E_ARG;
    if (len < (uint64_t)info->image_size + H7_IMAGE_HASH_SIZE)
        return H7_IMAGE_E_TRUNCATED;
    struct h7_image_verifier v;
    h7_image_verify_begin(&v, info);
    h7_image_verify_update(&v, image, info->image_size);
    return h7_image_verify_end(&v, (const uint8_t *)image + info->image_size, actual);
}

int h7_image_verify_read(const struct h7_image_info *info, h7_image_read_fn read, void *ctx,
                         const uint8_t expected[H7_IMAGE_HASH_SIZE],
                         uint8_t actual[H7_IMAGE_HASH_SIZE])
{
    uint8_t buf[256];
    if (!info || !read)
        return H7_IMAGE_E_ARG;
    struct h7_image_verifier v;
    h7_image_verify_begin(&v, info);
    for (uint32_t pos = 0; pos < info->image_size;) {
        uint32_t n = info->image_size - pos < sizeof buf ? info->image_size - pos : sizeof buf;
        if (read(ctx, pos, buf, n))
            return H7_IMAGE_E_IO;
        h7_image_verify_update(&v, buf, n);
        pos += n;
    }
    if (!expected) { /* the stored SHA-256, into the buffer the image went through */
        if (read(ctx, info->image_size, buf, H7_IMAGE_HASH_SIZE))
            return H7_IMAGE_E_IO;
        expected = buf;
    }
    return h7_image_verify_end(&v, expected, actual);
}

/* h7_image_verify_read() through the flash interface, the image at device offset `off`. */
struct flash_at {
    const struct h7_flash *flash;
    uint32_t off;
};

static int read_flash(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    const struct flash_at *at = ctx;
    return h7_flash_read(at->flash, at->off + off, buf, len);
}

int h7_image_verify_flash(const struct h7_image_info *info, const struct h7_flash *flash,
                          uint32_t off, uint8_t actual[H7_IMAGE_HASH_SIZE])
{
    if (!info || !flash)
        return H7_IMAGE_E_ARG;
    if ((uint64_t)off + info->image_size + H7_IMAGE_HASH_SIZE > flash->size)
        return H7_IMAGE_E_TRUNCATED;
    struct flash_at at = {flash, off};
    return h7_image_verify_read(info, read_flash, &at, NULL, actual);
}

/* Feed n bytes of the gap filler. */
static void feed_pad(struct h7_image_verifier *v, uint32_t n)
{
    uint8_t pad[64];
    for (unsigned i = 0; i < sizeof pad; i++)
        pad[i] = H7_IMAGE_PAD_BYTE;
    while (n) {
        uint32_t k = n < sizeof pad ? n : sizeof pad;
        h7_image_verify_update(v, pad, k);
        n -= k;
    }
}

int h7_image_verify_loaded(const struct h7_image_info *info, const void *meta, size_t meta_len,
                           h7_image_map_fn map, void *map_ctx,
                           const uint8_t expected[H7_IMAGE_HASH_SIZE],
                           uint8_t actual[H7_IMAGE_HASH_SIZE])
{
    if (!info || !meta || !expected)
        return H7_IMAGE_E_ARG;
    if (meta_len < info->meta_size)
        return H7_IMAGE_E_TRUNCATED;
    struct h7_image_verifier v;
    h7_image_verify_begin(&v, info);
    /* The metadata is one more piece of the cover of [0, image_size): at 0, or at
     * header_offset between payloads (a located header). */
    uint32_t pos = 0;
    bool meta_fed = false;
    /* h7_image_parse() guarantees the payloads ascend in table order without overlap, and
     * that none overlaps the metadata. */
    for (int i = 0; i <= info->segment_count; i++) {
        const struct h7_image_segment *s = i < info->segment_count ? &info->seg[i] : NULL;
        if (s && s->kind != H7_SEG_COPY && s->kind != H7_SEG_XIP)
            continue;
        if (!meta_fed && (!s || s->offset >= info->header_offset)) {
            if (info->header_offset < pos)
                return H7_IMAGE_E_SEG_ORDER;
            feed_pad(&v, info->header_offset - pos);
            h7_image_verify_update(&v, meta, info->meta_size);
            pos = info->header_offset + info->meta_size;
            meta_fed = true;
        }
        if (!s)
            break;
        if (s->offset < pos)
            return H7_IMAGE_E_SEG_ORDER;
        feed_pad(&v, s->offset - pos);
        const void *src = map ? map(map_ctx, s->dest, s->size) : (const void *)(uintptr_t)s->dest;
        if (!src)
            return H7_IMAGE_E_IO;
        h7_image_verify_update(&v, src, s->size);
        pos = s->offset + s->size;
    }
    if (pos > info->image_size)
        return H7_IMAGE_E_SEG_OFFSET;
    feed_pad(&v, info->image_size - pos);
    return h7_image_verify_end(&v, expected, actual);
}
