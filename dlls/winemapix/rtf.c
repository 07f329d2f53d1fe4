/*
 * WrapCompressedRTFStream: compressed RTF ([MS-OXRTFCP]) behind an IStream
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

#include <stdlib.h>
#include <string.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* Outlook's mapidefs.h has these; Wine's does not. */
#ifndef MAPI_NATIVE_BODY
#define MAPI_NATIVE_BODY                 0x00010000
#define MAPI_NATIVE_BODY_TYPE_RTF        0x00000001
#define MAPI_NATIVE_BODY_TYPE_HTML       0x00000002
#define MAPI_NATIVE_BODY_TYPE_PLAINTEXT  0x00000004

typedef struct
{
    ULONG size;
    ULONG ulFlags;
    ULONG ulInCodePage;
    ULONG ulOutCodePage;
} RTF_WCSINFO;

typedef struct
{
    ULONG size;
    ULONG ulStreamFlags;
} RTF_WCSRETINFO;
#endif

/* [MS-OXRTFCP] 2.1.3.1: a 16-byte header (COMPSIZE, RAWSIZE, COMPTYPE, CRC),
 * then either the raw RTF ("MELA") or LZ77-style runs ("LZFu"): a control
 * byte whose bits, low bit first, say whether each of the next eight tokens
 * is a literal byte (0) or a big-endian 16-bit reference (1) made of a
 * 12-bit dictionary offset and a 4-bit length minus 2.  The dictionary is
 * 4096 bytes, circular, and starts with a fixed 207-byte RTF prefix. A
 * reference whose offset equals the write position ends the data. */
#define RTF_HEADER_SIZE     16
#define RTF_DICT_SIZE       4096
#define RTF_DICT_MASK       (RTF_DICT_SIZE - 1)
#define RTF_MAX_MATCH       17
#define RTF_MAGIC_LZFU      0x75465a4c
#define RTF_MAGIC_MELA      0x414c454d

static const char rtf_dict_prefix[] =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
    "\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0"
    "\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

#define RTF_PREFIX_SIZE     (sizeof(rtf_dict_prefix) - 1)

static DWORD get_dword(const BYTE *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((DWORD)p[3] << 24);
}

static void put_dword(BYTE *p, DWORD value)
{
    p[0] = value;
    p[1] = value >> 8;
    p[2] = value >> 16;
    p[3] = value >> 24;
}

/* [MS-OXRTFCP] 2.1.3.2: the usual reflected CRC-32 polynomial, but starting
 * from 0 and without the final inversion. */
static DWORD rtf_crc(const BYTE *data, ULONG size)
{
    DWORD crc = 0;
    ULONG i;
    int bit;

    for (i = 0; i < size; i++)
    {
        crc ^= data[i];
        for (bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xedb88320 & (0 - (crc & 1)));
    }
    return crc;
}

/* Decodes a whole PR_RTF_COMPRESSED value; *out is malloc'ed. */
static HRESULT rtf_decompress(const BYTE *src, ULONG size, BYTE **out, ULONG *out_size)
{
    ULONG comp_size, raw_size, magic, in, done = 0, wp = RTF_PREFIX_SIZE;
    BYTE dict[RTF_DICT_SIZE], *buf;
    BOOL ended = FALSE;

    if (size < RTF_HEADER_SIZE) return MAPI_E_CORRUPT_DATA;
    comp_size = get_dword(src);
    raw_size = get_dword(src + 4);
    magic = get_dword(src + 8);
    if (comp_size < RTF_HEADER_SIZE - 4 || comp_size - (RTF_HEADER_SIZE - 4) > size - RTF_HEADER_SIZE)
    {
        WARN("COMPSIZE %lu does not fit %lu bytes.\n", comp_size, size);
        return MAPI_E_CORRUPT_DATA;
    }
    size = comp_size - (RTF_HEADER_SIZE - 4);
    src += RTF_HEADER_SIZE;

    if (magic == RTF_MAGIC_MELA)
    {
        if (raw_size > size) return MAPI_E_CORRUPT_DATA;
        if (!(buf = malloc(raw_size ? raw_size : 1))) return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy(buf, src, raw_size);
        *out = buf;
        *out_size = raw_size;
        return S_OK;
    }
    if (magic != RTF_MAGIC_LZFU)
    {
        WARN("Unknown COMPTYPE %#lx.\n", magic);
        return MAPI_E_CORRUPT_DATA;
    }
    if (rtf_crc(src, size) != get_dword(src - 4))
    {
        WARN("CRC mismatch, %#lx vs %#lx.\n", rtf_crc(src, size), get_dword(src - 4));
        return MAPI_E_CORRUPT_DATA;
    }
    /* a two-byte token yields at most 17 bytes, so a larger RAWSIZE is a lie */
    if (raw_size / RTF_MAX_MATCH > size) return MAPI_E_CORRUPT_DATA;
    if (!(buf = malloc(raw_size ? raw_size : 1))) return MAPI_E_NOT_ENOUGH_MEMORY;

    memcpy(dict, rtf_dict_prefix, RTF_PREFIX_SIZE);
    memset(dict + RTF_PREFIX_SIZE, 0, RTF_DICT_SIZE - RTF_PREFIX_SIZE);

    in = 0;
    while (!ended && in < size)
    {
        BYTE control = src[in++];
        int bit;

        for (bit = 0; bit < 8 && !ended; bit++)
        {
            if (control & (1 << bit))
            {
                ULONG ref, offset, len;

                if (size - in < 2) goto corrupt;
                ref = (src[in] << 8) | src[in + 1];
                in += 2;
                offset = ref >> 4;
                len = (ref & 0xf) + 2;
                if (offset == wp)
                {
                    ended = TRUE;
                    break;
                }
                if (len > raw_size - done) goto corrupt;
                while (len--)
                {
                    BYTE c = dict[offset];

                    buf[done++] = c;
                    dict[wp] = c;
                    wp = (wp + 1) & RTF_DICT_MASK;
                    offset = (offset + 1) & RTF_DICT_MASK;
                }
            }
            else
            {
                if (in >= size)
                {
                    /* runs may end early when the data ends on RAWSIZE */
                    if (done == raw_size) break;
                    goto corrupt;
                }
                if (done == raw_size) goto corrupt;
                buf[done] = src[in++];
                dict[wp] = buf[done++];
                wp = (wp + 1) & RTF_DICT_MASK;
            }
        }
    }
    if (!ended && done != raw_size) goto corrupt;

    *out = buf;
    *out_size = done;
    return S_OK;

corrupt:
    WARN("Corrupt compressed RTF at input offset %lu, %lu of %lu bytes decoded.\n", in, done, raw_size);
    free(buf);
    return MAPI_E_CORRUPT_DATA;
}

/* Compression state: the dictionary, plus for every byte pair the list of
 * dictionary positions where it starts, oldest first.  A position joins its
 * list once the byte after it is written and leaves it when overwritten. */
struct rtf_encoder
{
    BYTE dict[RTF_DICT_SIZE];
    ULONG wp;
    SHORT head[65536];
    SHORT tail[65536];
    SHORT next[RTF_DICT_SIZE];
    SHORT prev[RTF_DICT_SIZE];
    WORD key[RTF_DICT_SIZE];
    BOOL linked[RTF_DICT_SIZE];
};

static void encoder_link(struct rtf_encoder *enc, ULONG pos)
{
    WORD key = (enc->dict[pos] << 8) | enc->dict[(pos + 1) & RTF_DICT_MASK];

    enc->key[pos] = key;
    enc->next[pos] = -1;
    enc->prev[pos] = enc->tail[key];
    if (enc->tail[key] >= 0) enc->next[enc->tail[key]] = pos;
    else enc->head[key] = pos;
    enc->tail[key] = pos;
    enc->linked[pos] = TRUE;
}

static void encoder_unlink(struct rtf_encoder *enc, ULONG pos)
{
    WORD key = enc->key[pos];

    if (!enc->linked[pos]) return;
    if (enc->prev[pos] >= 0) enc->next[enc->prev[pos]] = enc->next[pos];
    else enc->head[key] = enc->next[pos];
    if (enc->next[pos] >= 0) enc->prev[enc->next[pos]] = enc->prev[pos];
    else enc->tail[key] = enc->prev[pos];
    enc->linked[pos] = FALSE;
}

static void encoder_put(struct rtf_encoder *enc, BYTE c)
{
    encoder_unlink(enc, enc->wp);
    enc->dict[enc->wp] = c;
    encoder_link(enc, (enc->wp - 1) & RTF_DICT_MASK);
    enc->wp = (enc->wp + 1) & RTF_DICT_MASK;
}

/* Greedy longest match; among equally long matches the oldest one wins,
 * which is what the examples in [MS-OXRTFCP] section 3.2 show.  A match may
 * not reach the write position, since the decoder would read bytes it has
 * not written yet. */
static ULONG encoder_match(struct rtf_encoder *enc, const BYTE *data, ULONG avail, ULONG *match_pos)
{
    ULONG best = 0, limit = min(avail, RTF_MAX_MATCH);
    SHORT pos;

    if (limit < 2) return 0;
    for (pos = enc->head[(data[0] << 8) | data[1]]; pos >= 0; pos = enc->next[pos])
    {
        ULONG max_len = min(limit, (enc->wp - pos) & RTF_DICT_MASK), len = 2;

        if (max_len < 2) continue;
        while (len < max_len && enc->dict[(pos + len) & RTF_DICT_MASK] == data[len]) len++;
        if (len > best)
        {
            best = len;
            *match_pos = pos;
            if (best == limit) break;
        }
    }
    return best;
}

static HRESULT rtf_compress(const BYTE *data, ULONG size, BOOL uncompressed, BYTE **out, ULONG *out_size)
{
    struct rtf_encoder *enc;
    ULONG in = 0, len, control_at, pos = 0;
    BYTE *buf;
    int bit = 0;

    if (uncompressed)
    {
        if (!(buf = malloc(RTF_HEADER_SIZE + size))) return MAPI_E_NOT_ENOUGH_MEMORY;
        put_dword(buf, size + RTF_HEADER_SIZE - 4);
        put_dword(buf + 4, size);
        put_dword(buf + 8, RTF_MAGIC_MELA);
        put_dword(buf + 12, 0);
        memcpy(buf + RTF_HEADER_SIZE, data, size);
        *out = buf;
        *out_size = RTF_HEADER_SIZE + size;
        return S_OK;
    }

    /* worst case: all literals, one control byte per eight, plus the end run */
    if (!(buf = malloc(RTF_HEADER_SIZE + size + size / 8 + 4))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(enc = malloc(sizeof(*enc))))
    {
        free(buf);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memset(enc->head, 0xff, sizeof(enc->head));
    memset(enc->tail, 0xff, sizeof(enc->tail));
    memset(enc->linked, 0, sizeof(enc->linked));
    memcpy(enc->dict, rtf_dict_prefix, RTF_PREFIX_SIZE);
    memset(enc->dict + RTF_PREFIX_SIZE, 0, RTF_DICT_SIZE - RTF_PREFIX_SIZE);
    for (enc->wp = 0; enc->wp < RTF_PREFIX_SIZE - 1; enc->wp++) encoder_link(enc, enc->wp);
    enc->wp = RTF_PREFIX_SIZE;

    len = RTF_HEADER_SIZE;
    control_at = len++;
    buf[control_at] = 0;
    for (;;)
    {
        ULONG match;

        if (bit == 8)
        {
            control_at = len++;
            buf[control_at] = 0;
            bit = 0;
        }
        if (in == size)
        {
            buf[control_at] |= 1 << bit;
            buf[len++] = enc->wp >> 4;
            buf[len++] = (enc->wp << 4) & 0xf0;
            break;
        }
        if ((match = encoder_match(enc, data + in, size - in, &pos)) >= 2)
        {
            ULONG i;

            buf[control_at] |= 1 << bit;
            buf[len++] = pos >> 4;
            buf[len++] = ((pos << 4) & 0xf0) | (match - 2);
            for (i = 0; i < match; i++) encoder_put(enc, data[in + i]);
            in += match;
        }
        else
        {
            buf[len++] = data[in];
            encoder_put(enc, data[in++]);
        }
        bit++;
    }
    free(enc);

    put_dword(buf, len - 4);
    put_dword(buf + 4, size);
    put_dword(buf + 8, RTF_MAGIC_LZFU);
    put_dword(buf + 12, rtf_crc(buf + RTF_HEADER_SIZE, len - RTF_HEADER_SIZE));
    *out = buf;
    *out_size = len;
    return S_OK;
}

/* Reads the whole compressed value from the current position of stream;
 * grows the buffer as data arrives so that a lying COMPSIZE costs nothing. */
static HRESULT read_compressed(IStream *stream, BYTE **out, ULONG *out_size)
{
    ULONG got, size = 0, capacity = RTF_HEADER_SIZE, total = RTF_HEADER_SIZE;
    BYTE *buf, *new_buf;
    HRESULT hr;

    if (!(buf = malloc(capacity))) return MAPI_E_NOT_ENOUGH_MEMORY;
    while (size < total)
    {
        if (size == capacity)
        {
            capacity = min(total, max(capacity * 2, 65536));
            if (!(new_buf = realloc(buf, capacity)))
            {
                free(buf);
                return MAPI_E_NOT_ENOUGH_MEMORY;
            }
            buf = new_buf;
        }
        got = 0;
        if (FAILED(hr = IStream_Read(stream, buf + size, capacity - size, &got)))
        {
            free(buf);
            return hr;
        }
        if (!got) break;
        size += got;
        if (total == RTF_HEADER_SIZE && size >= RTF_HEADER_SIZE)
        {
            total = get_dword(buf);
            total = total > 0x7fffffff - 4 ? 0x7fffffff : total + 4;
            total = max(total, RTF_HEADER_SIZE);
        }
    }
    /* a short value is caught by rtf_decompress through COMPSIZE */
    *out = buf;
    *out_size = size;
    return S_OK;
}

struct rtf_stream
{
    IStream IStream_iface;
    LONG refcount;
    IStream *inner;         /* the PR_RTF_COMPRESSED stream */
    ULARGE_INTEGER start;   /* where the compressed value starts in it */
    ULONG flags;            /* MAPI_MODIFY, STORE_UNCOMPRESSED_RTF */
    BYTE *data;             /* decompressed RTF, or what has been written */
    ULONG size;
    ULONG capacity;
    ULONG pos;
    BOOL dirty;             /* written since the last Commit */
};

static inline struct rtf_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct rtf_stream, IStream_iface);
}

/* Compresses what has been written and replaces the underlying value. */
static HRESULT rtf_stream_flush(struct rtf_stream *stream)
{
    LARGE_INTEGER move;
    ULARGE_INTEGER end;
    ULONG size, written;
    BYTE *buf;
    HRESULT hr;

    if (FAILED(hr = rtf_compress(stream->data, stream->size, !!(stream->flags & STORE_UNCOMPRESSED_RTF),
                                 &buf, &size)))
        return hr;
    move.QuadPart = stream->start.QuadPart;
    IStream_Seek(stream->inner, move, STREAM_SEEK_SET, NULL);
    hr = IStream_Write(stream->inner, buf, size, &written);
    free(buf);
    if (FAILED(hr)) return hr;
    if (written != size) return MAPI_E_DISK_ERROR;
    end.QuadPart = stream->start.QuadPart + size;
    /* streams that cannot shrink still hold a valid value, since COMPSIZE says where it ends */
    IStream_SetSize(stream->inner, end);
    hr = IStream_Commit(stream->inner, STGC_DEFAULT);
    if (hr == E_NOTIMPL || hr == MAPI_E_NO_SUPPORT || hr == STG_E_INVALIDFUNCTION) hr = S_OK;
    if (SUCCEEDED(hr)) stream->dirty = FALSE;
    return hr;
}

static HRESULT WINAPI rtf_stream_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    struct rtf_stream *stream = impl_from_IStream(iface);

    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), out);

    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_ISequentialStream) || IsEqualIID(riid, &IID_IStream))
    {
        *out = &stream->IStream_iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    WARN("Unsupported %s.\n", debugstr_guid(riid));
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI rtf_stream_AddRef(IStream *iface)
{
    struct rtf_stream *stream = impl_from_IStream(iface);
    ULONG refcount = InterlockedIncrement(&stream->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);
    return refcount;
}

static ULONG WINAPI rtf_stream_Release(IStream *iface)
{
    struct rtf_stream *stream = impl_from_IStream(iface);
    ULONG refcount = InterlockedDecrement(&stream->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        /* text written but never committed still reaches the property */
        if (stream->dirty) rtf_stream_flush(stream);
        IStream_Release(stream->inner);
        free(stream->data);
        free(stream);
    }
    return refcount;
}

static HRESULT WINAPI rtf_stream_Read(IStream *iface, void *buffer, ULONG size, ULONG *read)
{
    struct rtf_stream *stream = impl_from_IStream(iface);
    ULONG count;

    TRACE("%p, %p, %lu, %p.\n", iface, buffer, size, read);

    if (!buffer) return STG_E_INVALIDPOINTER;
    count = stream->pos < stream->size ? min(size, stream->size - stream->pos) : 0;
    if (count) memcpy(buffer, stream->data + stream->pos, count);
    stream->pos += count;
    if (read) *read = count;
    return S_OK;
}

static HRESULT WINAPI rtf_stream_Write(IStream *iface, const void *buffer, ULONG size, ULONG *written)
{
    struct rtf_stream *stream = impl_from_IStream(iface);
    ULONG end;

    TRACE("%p, %p, %lu, %p.\n", iface, buffer, size, written);

    if (written) *written = 0;
    if (!(stream->flags & MAPI_MODIFY)) return STG_E_ACCESSDENIED;
    if (!buffer) return STG_E_INVALIDPOINTER;
    if (size > 0x7fffffff - stream->pos) return STG_E_MEDIUMFULL;
    end = stream->pos + size;
    if (end > stream->capacity)
    {
        ULONG capacity = max(end, max(stream->capacity * 2, 4096));
        BYTE *data;

        if (!(data = realloc(stream->data, capacity))) return STG_E_INSUFFICIENTMEMORY;
        stream->data = data;
        stream->capacity = capacity;
    }
    if (stream->pos > stream->size) memset(stream->data + stream->size, 0, stream->pos - stream->size);
    memcpy(stream->data + stream->pos, buffer, size);
    stream->pos = end;
    stream->size = max(stream->size, end);
    stream->dirty = TRUE;
    if (written) *written = size;
    return S_OK;
}

/* The documentation lists Seek as unsupported; moving within the text held
 * in memory is harmless and lets callers rewind. */
static HRESULT WINAPI rtf_stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *new_pos)
{
    struct rtf_stream *stream = impl_from_IStream(iface);
    LONGLONG base, pos;

    TRACE("%p, %s, %lu, %p.\n", iface, wine_dbgstr_longlong(move.QuadPart), origin, new_pos);

    switch (origin)
    {
    case STREAM_SEEK_SET: base = 0; break;
    case STREAM_SEEK_CUR: base = stream->pos; break;
    case STREAM_SEEK_END: base = stream->size; break;
    default: return STG_E_INVALIDFUNCTION;
    }
    pos = base + move.QuadPart;
    if (pos < 0 || pos > 0x7fffffff) return STG_E_INVALIDFUNCTION;
    stream->pos = pos;
    if (new_pos) new_pos->QuadPart = pos;
    return S_OK;
}

static HRESULT WINAPI rtf_stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    TRACE("%p, %s.\n", iface, wine_dbgstr_longlong(size.QuadPart));
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI rtf_stream_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER size,
                                        ULARGE_INTEGER *read, ULARGE_INTEGER *written)
{
    struct rtf_stream *stream = impl_from_IStream(iface);
    ULONG count, done = 0;
    HRESULT hr;

    TRACE("%p, %p, %s, %p, %p.\n", iface, dest, wine_dbgstr_longlong(size.QuadPart), read, written);

    if (!dest) return STG_E_INVALIDPOINTER;
    count = stream->pos < stream->size ? stream->size - stream->pos : 0;
    if (size.QuadPart < count) count = size.QuadPart;
    hr = count ? IStream_Write(dest, stream->data + stream->pos, count, &done) : S_OK;
    stream->pos += count;
    if (read) read->QuadPart = count;
    if (written) written->QuadPart = SUCCEEDED(hr) ? done : 0;
    return hr;
}

static HRESULT WINAPI rtf_stream_Commit(IStream *iface, DWORD flags)
{
    struct rtf_stream *stream = impl_from_IStream(iface);

    TRACE("%p, %#lx.\n", iface, flags);

    if (!(stream->flags & MAPI_MODIFY) || !stream->dirty) return S_OK;
    return rtf_stream_flush(stream);
}

static HRESULT WINAPI rtf_stream_Revert(IStream *iface)
{
    TRACE("%p.\n", iface);
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI rtf_stream_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("%p, %s, %s, %lu.\n", iface, wine_dbgstr_longlong(offset.QuadPart),
          wine_dbgstr_longlong(size.QuadPart), type);
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI rtf_stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("%p, %s, %s, %lu.\n", iface, wine_dbgstr_longlong(offset.QuadPart),
          wine_dbgstr_longlong(size.QuadPart), type);
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI rtf_stream_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    struct rtf_stream *stream = impl_from_IStream(iface);

    TRACE("%p, %p, %#lx.\n", iface, stat, flags);

    if (!stat) return STG_E_INVALIDPOINTER;
    memset(stat, 0, sizeof(*stat));
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = stream->size;
    stat->grfMode = (stream->flags & MAPI_MODIFY) ? STGM_READWRITE : STGM_READ;
    return S_OK;
}

static HRESULT WINAPI rtf_stream_Clone(IStream *iface, IStream **out)
{
    TRACE("%p, %p.\n", iface, out);

    if (out) *out = NULL;
    return MAPI_E_NO_SUPPORT;
}

static const IStreamVtbl rtf_stream_vtbl =
{
    rtf_stream_QueryInterface,
    rtf_stream_AddRef,
    rtf_stream_Release,
    rtf_stream_Read,
    rtf_stream_Write,
    rtf_stream_Seek,
    rtf_stream_SetSize,
    rtf_stream_CopyTo,
    rtf_stream_Commit,
    rtf_stream_Revert,
    rtf_stream_LockRegion,
    rtf_stream_UnlockRegion,
    rtf_stream_Stat,
    rtf_stream_Clone,
};

static HRESULT rtf_stream_create(IStream *compressed, ULONG flags, IStream **out)
{
    struct rtf_stream *stream;
    LARGE_INTEGER zero;
    HRESULT hr;

    if (!(stream = calloc(1, sizeof(*stream)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    stream->IStream_iface.lpVtbl = &rtf_stream_vtbl;
    stream->refcount = 1;
    stream->flags = flags & (MAPI_MODIFY | STORE_UNCOMPRESSED_RTF);

    zero.QuadPart = 0;
    if (FAILED(IStream_Seek(compressed, zero, STREAM_SEEK_CUR, &stream->start))) stream->start.QuadPart = 0;

    /* Writers replace the whole text, so only readers decode the old one. */
    if (!(flags & MAPI_MODIFY))
    {
        BYTE *buf;
        ULONG size;

        if (FAILED(hr = read_compressed(compressed, &buf, &size)))
        {
            free(stream);
            return hr;
        }
        hr = rtf_decompress(buf, size, &stream->data, &stream->size);
        free(buf);
        if (FAILED(hr))
        {
            free(stream);
            return hr;
        }
        stream->capacity = stream->size;
    }

    IStream_AddRef(compressed);
    stream->inner = compressed;
    *out = &stream->IStream_iface;
    return S_OK;
}

/***********************************************************************
 *              WrapCompressedRTFStream (winemapix.@)
 *
 * Wraps a stream holding PR_RTF_COMPRESSED in one that reads the RTF text
 * or, with MAPI_MODIFY, takes new RTF text and stores it compressed (or in
 * the uncompressed form with STORE_UNCOMPRESSED_RTF) on Commit or Release.
 */
HRESULT WINAPI WrapCompressedRTFStream( IStream *compressed, ULONG flags, IStream **uncompressed )
{
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", compressed, flags, uncompressed );

    if (!compressed || !uncompressed) return MAPI_E_INVALID_PARAMETER;
    *uncompressed = NULL;
    hr = rtf_stream_create( compressed, flags, uncompressed );
    TRACE( "returning %#lx, %p.\n", hr, *uncompressed );
    return hr;
}

static BOOL match_word(const BYTE *p, ULONG left, const char *word)
{
    ULONG len = strlen(word);

    if (left < len || memcmp(p, word, len)) return FALSE;
    /* the control word must end here: "fromhtml1" must not match "fromhtmlx" */
    return left == len || !((p[len] >= 'a' && p[len] <= 'z') || (p[len] >= 'A' && p[len] <= 'Z'));
}

/* [MS-OXRTFEX]: \fromhtml1 or \fromtext among the header control words (before
 * the first nested group) marks RTF that encapsulates HTML or plain text. */
static ULONG rtf_native_type(const BYTE *data, ULONG size)
{
    ULONG i;

    for (i = 1; i < size && data[i] != '{'; i++)
    {
        if (data[i] != '\\') continue;
        if (match_word(data + i + 1, size - i - 1, "fromhtml1")) return MAPI_NATIVE_BODY_TYPE_HTML;
        if (match_word(data + i + 1, size - i - 1, "fromtext")) return MAPI_NATIVE_BODY_TYPE_PLAINTEXT;
    }
    return MAPI_NATIVE_BODY_TYPE_RTF;
}

/* Output buffer of the de-encapsulation below. */
struct text_buffer
{
    BYTE *data;
    ULONG size;
    ULONG capacity;
    BOOL failed;
};

static void text_append(struct text_buffer *text, const void *data, ULONG size)
{
    if (text->failed) return;
    if (size > text->capacity - text->size)
    {
        ULONG capacity = max(text->capacity * 2, text->size + size + 256);
        BYTE *buf;

        if (!(buf = realloc(text->data, capacity)))
        {
            text->failed = TRUE;
            return;
        }
        text->data = buf;
        text->capacity = capacity;
    }
    memcpy(text->data + text->size, data, size);
    text->size += size;
}

/* Destinations that never hold body text. */
static BOOL is_skipped_destination(const char *word)
{
    static const char * const words[] =
    {
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "footer",
        "headerl", "headerr", "headerf", "footerl", "footerr", "footerf", "listtable",
        "listoverridetable", "rsidtbl", "generator", "xmlnstbl", "themedata",
        "colorschememapping", "latentstyles", "datastore", "filetbl", "revtbl", "pgdsctbl",
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(words); i++) if (!strcmp(word, words[i])) return TRUE;
    return FALSE;
}

#define RTF_MAX_DEPTH 256

struct rtf_group_state
{
    BOOL skip;      /* ignored destination */
    BOOL tag;       /* inside \*\htmltag: HTML markup, written out */
    BOOL suppress;  /* between \htmlrtf and \htmlrtf0: RTF-only rendering */
    int uc;         /* bytes to drop after \uN */
};

/* [MS-OXRTFEX] de-encapsulation: for HTML, the \*\htmltag groups and the text
 * outside \htmlrtf regions; for plain text, the text outside destinations.
 * \par and \line become CRLF, \tab a tab, \'hh the byte, \uN the character in
 * codepage cp.  Returns FALSE when out of memory. */
static BOOL rtf_extract_body(const BYTE *data, ULONG size, BOOL html, UINT cp, struct text_buffer *text)
{
    struct rtf_group_state stack[RTF_MAX_DEPTH], state = {FALSE, FALSE, FALSE, 1};
    int depth = 0, pending_skip = 0;
    BOOL group_start = FALSE, star = FALSE;
    ULONG i = 0;

    memset(text, 0, sizeof(*text));
    while (i < size)
    {
        BYTE c = data[i];
        BOOL emit = !state.skip && (state.tag || !state.suppress);

        if (c == '{')
        {
            if (depth < RTF_MAX_DEPTH) stack[depth] = state;
            depth++;
            if (depth > RTF_MAX_DEPTH) state.skip = TRUE;
            state.tag = FALSE;
            group_start = TRUE;
            star = FALSE;
            pending_skip = 0;
            i++;
            continue;
        }
        if (c == '}')
        {
            if (depth > 0 && --depth < RTF_MAX_DEPTH) state = stack[depth];
            group_start = FALSE;
            star = FALSE;
            pending_skip = 0;
            i++;
            continue;
        }
        if (c == '\r' || c == '\n')
        {
            i++;
            continue;
        }
        if (c != '\\')
        {
            if (pending_skip) pending_skip--;
            else if (emit) text_append(text, &c, 1);
            group_start = FALSE;
            i++;
            continue;
        }

        /* a control symbol or word */
        if (++i >= size) break;
        c = data[i];
        if (c == '\'')
        {
            BYTE value = 0;
            int n;

            for (n = 0, i++; n < 2 && i < size; n++, i++)
            {
                c = data[i];
                value = value * 16 + (c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
            }
            if (pending_skip) pending_skip--;
            else if (emit) text_append(text, &value, 1);
            group_start = FALSE;
            continue;
        }
        if (c == '*')
        {
            star = group_start;
            i++;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        {
            /* \\ \{ \} are the character; \~ and \- and the like are dropped */
            if ((c == '\\' || c == '{' || c == '}') && !pending_skip && emit) text_append(text, &c, 1);
            else if (pending_skip) pending_skip--;
            group_start = FALSE;
            i++;
            continue;
        }
        else
        {
            char word[32];
            int len = 0, sign = 1;
            BOOL has_param = FALSE;
            LONG param = 0;

            while (i < size && ((data[i] >= 'a' && data[i] <= 'z') || (data[i] >= 'A' && data[i] <= 'Z')))
            {
                if (len < ARRAY_SIZE(word) - 1) word[len++] = data[i];
                i++;
            }
            word[len] = 0;
            if (i < size && data[i] == '-')
            {
                sign = -1;
                i++;
            }
            while (i < size && data[i] >= '0' && data[i] <= '9')
            {
                param = param * 10 + (data[i++] - '0');
                has_param = TRUE;
            }
            param *= sign;
            if (i < size && data[i] == ' ') i++;

            if (group_start && (!strcmp(word, "htmltag") || !strcmp(word, "mhtmltag")))
            {
                /* mhtmltag holds the original of a tag whose URL was changed */
                state.tag = html && star;
                state.skip = !state.tag;
            }
            else if (group_start && (star || is_skipped_destination(word)))
                state.skip = TRUE;
            else if (!strcmp(word, "htmlrtf"))
                state.suppress = !has_param || param;
            else if (!strcmp(word, "par") || !strcmp(word, "line"))
            {
                if (emit) text_append(text, "\r\n", 2);
            }
            else if (!strcmp(word, "tab"))
            {
                if (emit) text_append(text, "\t", 1);
            }
            else if (!strcmp(word, "uc"))
                state.uc = has_param ? param : 1;
            else if (!strcmp(word, "u") && has_param)
            {
                WCHAR wc = param < 0 ? param + 65536 : param;
                char buf[8];
                int n;

                if (emit && (n = WideCharToMultiByte(cp, 0, &wc, 1, buf, sizeof(buf), NULL, NULL)) > 0)
                    text_append(text, buf, n);
                pending_skip = state.uc;
            }
            else if (emit)
            {
                static const struct { const char *word; BYTE c; } specials[] =
                {
                    {"lquote", 0x91}, {"rquote", 0x92}, {"ldblquote", 0x93}, {"rdblquote", 0x94},
                    {"bullet", 0x95}, {"endash", 0x96}, {"emdash", 0x97},
                };
                unsigned int n;

                for (n = 0; n < ARRAY_SIZE(specials); n++)
                    if (!strcmp(word, specials[n].word)) text_append(text, &specials[n].c, 1);
            }
            group_start = FALSE;
            star = FALSE;
        }
    }
    return !text->failed;
}

/* the \ansicpgN of the header, or 0 */
static UINT rtf_codepage(const BYTE *data, ULONG size)
{
    ULONG i;
    UINT cp = 0;

    for (i = 1; i < size && data[i] != '{'; i++)
    {
        if (data[i] != '\\' || size - i < 8 || memcmp(data + i + 1, "ansicpg", 7)) continue;
        for (i += 8; i < size && data[i] >= '0' && data[i] <= '9'; i++) cp = cp * 10 + data[i] - '0';
        break;
    }
    return cp;
}

/* Converts text from one code page to another; keeps it as is on failure. */
static void convert_codepage(struct text_buffer *text, UINT from, UINT to)
{
    int wlen, len;
    WCHAR *wide;
    BYTE *out;

    if (!text->size || from == to) return;
    if (!(wlen = MultiByteToWideChar(from, 0, (char *)text->data, text->size, NULL, 0))) return;
    if (!(wide = malloc(wlen * sizeof(WCHAR)))) return;
    MultiByteToWideChar(from, 0, (char *)text->data, text->size, wide, wlen);
    if ((len = WideCharToMultiByte(to, 0, wide, wlen, NULL, 0, NULL, NULL)) && (out = malloc(len)))
    {
        WideCharToMultiByte(to, 0, wide, wlen, (char *)out, len, NULL, NULL);
        free(text->data);
        text->data = out;
        text->size = text->capacity = len;
    }
    free(wide);
}

/***********************************************************************
 *              WrapCompressedRTFStreamEx (winemapix.@)
 *
 * Like WrapCompressedRTFStream; with MAPI_NATIVE_BODY the stream holds the
 * body in its native format (the HTML or plain text that RTF encapsulates,
 * per [MS-OXRTFEX]) and pRetInfo says which format that is.
 */
HRESULT WINAPI WrapCompressedRTFStreamEx( IStream *compressed, const RTF_WCSINFO *info, IStream **uncompressed,
                                          RTF_WCSRETINFO *ret_info )
{
    struct rtf_stream *stream;
    struct text_buffer text;
    UINT in_cp;
    ULONG type;
    HRESULT hr;

    TRACE( "%p, %p, %p, %p.\n", compressed, info, uncompressed, ret_info );

    if (!compressed || !info || !uncompressed || info->size < sizeof(*info)) return MAPI_E_INVALID_PARAMETER;
    if (ret_info && ret_info->size < sizeof(*ret_info)) return MAPI_E_INVALID_PARAMETER;
    TRACE( "flags %#lx, in codepage %lu, out codepage %lu.\n", info->ulFlags, info->ulInCodePage, info->ulOutCodePage );
    if ((info->ulFlags & MAPI_NATIVE_BODY) && (info->ulFlags & MAPI_MODIFY)) return MAPI_E_INVALID_PARAMETER;
    *uncompressed = NULL;

    if (FAILED(hr = rtf_stream_create( compressed, info->ulFlags, uncompressed ))) return hr;
    if (ret_info) ret_info->ulStreamFlags = 0;
    if (!(info->ulFlags & MAPI_NATIVE_BODY)) return S_OK;

    stream = impl_from_IStream( *uncompressed );
    type = rtf_native_type( stream->data, stream->size );
    if (type != MAPI_NATIVE_BODY_TYPE_RTF)
    {
        if (!(in_cp = info->ulInCodePage) && !(in_cp = rtf_codepage( stream->data, stream->size ))) in_cp = 1252;
        if (!rtf_extract_body( stream->data, stream->size, type == MAPI_NATIVE_BODY_TYPE_HTML, in_cp, &text ))
        {
            free( text.data );
            IStream_Release( *uncompressed );
            *uncompressed = NULL;
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        if (info->ulOutCodePage) convert_codepage( &text, in_cp, info->ulOutCodePage );
        free( stream->data );
        stream->data = text.data;
        stream->size = text.size;
        stream->capacity = text.capacity;
    }
    else if (info->ulOutCodePage) FIXME( "Code page conversion of RTF to %lu not supported.\n", info->ulOutCodePage );
    if (ret_info) ret_info->ulStreamFlags = type;
    return S_OK;
}
