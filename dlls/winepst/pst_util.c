/*
 * PST engine: allocation, error messages, CRC and block encodings
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdio.h>
#include <stdlib.h>

#include "pst_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(pst);

void *pst_alloc(struct pst_file *file, size_t size)
{
    if (!size) size = 1;
    if (file->alloc.alloc) return file->alloc.alloc(file->alloc.ctx, size);
    return malloc(size);
}

void *pst_zalloc(struct pst_file *file, size_t size)
{
    void *ptr = pst_alloc(file, size);

    if (ptr) memset(ptr, 0, size ? size : 1);
    return ptr;
}

void *pst_realloc(struct pst_file *file, void *ptr, size_t size)
{
    if (!size) size = 1;
    if (file->alloc.realloc) return file->alloc.realloc(file->alloc.ctx, ptr, size);
    return realloc(ptr, size);
}

void pst_free(struct pst_file *file, void *ptr)
{
    if (!ptr) return;
    if (file->alloc.free) file->alloc.free(file->alloc.ctx, ptr);
    else free(ptr);
}

int pst_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    int ret;

    if (!size) return 0;
    ret = vsnprintf(buf, size, fmt, args);
    /* Some C libraries do not terminate on truncation. */
    buf[size - 1] = 0;
    return ret;
}

int pst_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int ret;

    va_start(args, fmt);
    ret = pst_vsnprintf(buf, size, fmt, args);
    va_end(args);
    return ret;
}

int pst_error(struct pst_file *file, int err, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    pst_vsnprintf(file->error, sizeof(file->error), fmt, args);
    va_end(args);
    if (err == PST_E_CORRUPT) WARN("%s\n", debugstr_a(file->error));
    return err;
}

const char *pst_strerror(int err)
{
    switch (err)
    {
    case PST_OK: return "success";
    case PST_E_IO: return "I/O error";
    case PST_E_NOMEM: return "out of memory";
    case PST_E_CORRUPT: return "corrupt file";
    case PST_E_UNSUPPORTED: return "unsupported format";
    case PST_E_NOT_FOUND: return "not found";
    case PST_E_INVALID_ARG: return "invalid argument";
    case PST_E_TOO_BIG: return "value too large";
    case PST_E_READ_ONLY: return "read-only";
    case PST_E_LOCKED: return "locked by another writer";
    case PST_E_STATE: return "no usable transaction";
    }
    return "unknown error";
}

/* The definition: one table lookup per byte.  Kept for the tails and as
 * what the tests compare the sliced loop with. */
uint32_t pst_crc32_bytewise(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t i;

    for (i = 0; i < len; i++)
        crc = pst_crc_table[0][(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return crc;
}

/* Slicing-by-8: every block read is verified, so this loop is where the
 * reader spends its time.  Eight bytes go through eight independent
 * lookups (table k accounts for the k bytes that follow) instead of a
 * chain of eight dependent ones.  The bytes are assembled with pst_rd32,
 * so any alignment and either byte order work; compilers turn it into one
 * load on little-endian targets. */
uint32_t pst_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint32_t (*t)[256] = pst_crc_table;
    const uint8_t *p = data;

    while (len >= 8)
    {
        uint32_t lo = crc ^ pst_rd32(p), hi = pst_rd32(p + 4);

        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24]
            ^ t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        p += 8;
        len -= 8;
    }
    return pst_crc32_bytewise(crc, p, len);
}

uint16_t pst_compute_sig(uint64_t ib, uint64_t bid)
{
    uint64_t x = ib ^ bid;

    return (uint16_t)((x >> 16) ^ x);
}

/* In place, eight bytes a step: all eight loads before the stores, so
 * the compiler need not reload after each store (uint8_t aliases the
 * table).  Measured on 8 KB blocks: about 1.5 times faster than the plain
 * loop; assembling words for one wide store was slower. */
static void permute_apply(uint8_t *data, size_t len, const uint8_t *map)
{
    size_t i = 0;

    for (; i + 8 <= len; i += 8)
    {
        uint8_t *p = data + i;
        uint8_t b0 = map[p[0]], b1 = map[p[1]], b2 = map[p[2]], b3 = map[p[3]];
        uint8_t b4 = map[p[4]], b5 = map[p[5]], b6 = map[p[6]], b7 = map[p[7]];

        p[0] = b0;
        p[1] = b1;
        p[2] = b2;
        p[3] = b3;
        p[4] = b4;
        p[5] = b5;
        p[6] = b6;
        p[7] = b7;
    }
    for (; i < len; i++) data[i] = map[data[i]];
}

void pst_permute_encode(uint8_t *data, size_t len)
{
    permute_apply(data, len, pst_permute_table);
}

void pst_permute_decode(uint8_t *data, size_t len)
{
    permute_apply(data, len, pst_permute_table + 512);
}

void pst_cyclic(uint8_t *data, size_t len, uint32_t key)
{
    const uint8_t *r = pst_permute_table, *s = pst_permute_table + 256, *inv = pst_permute_table + 512;
    uint16_t w = (uint16_t)(key ^ (key >> 16));
    size_t i;

    for (i = 0; i < len; i++)
    {
        uint8_t lo = (uint8_t)w, hi = (uint8_t)(w >> 8), b = data[i];

        b = (uint8_t)(b + lo);
        b = r[b];
        b = (uint8_t)(b + hi);
        b = s[b];
        b = (uint8_t)(b - hi);
        b = inv[b];
        b = (uint8_t)(b - lo);
        data[i] = b;
        w++;
    }
}
