#define _XOPEN_SOURCE 700
/* Corrupt inputs: every variant must give a clear error or a clean walk,
 * never a crash, hang or out-of-bounds access (ASan/UBSan watch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enginetest.h"
#include "testutil.h"
#include "walk.h"
#include "pst_private.h"

/* Opens, walks everything and checks; returns the open error. */
static int exercise(const uint8_t *data, size_t size, char *err, size_t errsize)
{
    struct pst_io *io;
    struct pst_file *file;
    unsigned int count;
    int ret;

    if (err) err[0] = 0;
    if (pst_io_open_memory(data, size, 0, &io)) return PST_E_NOMEM;
    ret = pst_open(io, NULL, &file, err, errsize);
    if (!ret)
    {
        walk_canonical(file, NULL);
        walk_all_nodes(file);
        pst_check(file, NULL, NULL, &count);
        pst_close(file);
    }
    io->close(io);
    return ret;
}

static void test_garbage(void)
{
    uint8_t junk[4096];
    char err[512];
    unsigned int i;
    uint8_t *data;
    size_t size;
    int ret;

    ret = exercise((const uint8_t *)"", 0, err, sizeof(err));
    ok(ret == PST_E_CORRUPT && strstr(err, "too small"), "0-byte file: %d %s\n", ret, err);
    for (i = 0; i < sizeof(junk); i++) junk[i] = (uint8_t)(i * 131 + 7);
    ret = exercise(junk, sizeof(junk), err, sizeof(err));
    ok(ret == PST_E_CORRUPT && strstr(err, "bad magic"), "garbage: %d %s\n", ret, err);
    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    data = read_file(sample_path("outlook-pst-rs_Empty.pst"), &size);
    ret = exercise(data, 564, err, sizeof(err));
    ok(ret == PST_E_CORRUPT && strstr(err, "outside the file"), "header only: %d %s\n", ret, err);
    ret = exercise(data, 0x4400, err, sizeof(err));
    ok(ret == PST_E_CORRUPT, "cut at 0x4400: %d %s\n", ret, err);
    free(data);
}

static void test_fields(void)
{
    uint8_t *orig, *d;
    size_t size;
    char err[512];
    int ret;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    orig = read_file(sample_path("pstsdk_sample1.pst"), &size);
    d = malloc(size);

    memcpy(d, orig, size);
    d[10] = 36;
    fix_header_crc(d, size);
    ret = exercise(d, size, err, sizeof(err));
    ok(ret == PST_E_UNSUPPORTED && strstr(err, "wVer 36"), "wVer 36: %d %s\n", ret, err);

    memcpy(d, orig, size);
    d[10] = 99;
    fix_header_crc(d, size);
    ret = exercise(d, size, err, sizeof(err));
    ok(ret == PST_E_UNSUPPORTED && strstr(err, "wVer 99"), "wVer 99: %d %s\n", ret, err);

    memcpy(d, orig, size);
    d[513] = 0x10;
    fix_header_crc(d, size);
    ret = exercise(d, size, err, sizeof(err));
    ok(ret == PST_E_UNSUPPORTED && strstr(err, "bCryptMethod"), "crypt 0x10: %d %s\n", ret, err);

    memcpy(d, orig, size);
    d[8] = 'A';
    d[9] = 'B';
    fix_header_crc(d, size);
    ret = exercise(d, size, err, sizeof(err));
    ok(ret == PST_E_UNSUPPORTED, "PAB magic: %d %s\n", ret, err);

    memcpy(d, orig, size);
    d[512] = 0;
    fix_header_crc(d, size);
    ret = exercise(d, size, err, sizeof(err));
    ok(ret == PST_E_CORRUPT && strstr(err, "sentinel"), "sentinel: %d %s\n", ret, err);

    /* Crypt method 0 while the data is still permuted: opens (the NDB is
     * not encoded), every heap is refused cleanly. */
    memcpy(d, orig, size);
    d[513] = 0;
    fix_header_crc(d, size);
    ret = exercise(d, size, err, sizeof(err));
    ok(ret == PST_OK, "crypt 0: %d %s\n", ret, err);
    {
        struct pst_io *io;
        struct pst_file *file;
        struct pst_object *store;

        ok(!open_memory(d, size, &io, &file), "open\n");
        ret = pst_store_open(file, &store);
        ok(ret == PST_E_CORRUPT && strstr(pst_last_error(file), "0xEC"), "store with wrong crypt: %d %s\n", ret,
           pst_last_error(file));
        close_memory(io, file);
    }

    /* NBT root beyond the end of the file. */
    memcpy(d, orig, size);
    pst_wr32(d + 180 + 36 + 8, 0x7fff0000);
    fix_header_crc(d, size);
    ret = exercise(d, size, err, sizeof(err));
    ok(ret == PST_E_CORRUPT && strstr(err, "outside the file"), "NBT beyond EOF: %d %s\n", ret, err);

    /* Absurd entry count in the BBT root. */
    memcpy(d, orig, size);
    {
        uint64_t bbt = pst_rd64(d + 180 + 52 + 8);

        d[bbt + 488] = 200;
        pst_wr32(d + bbt + 500, pst_crc32(0, d + bbt, 496));
    }
    ret = exercise(d, size, err, sizeof(err));
    ok(ret == PST_E_CORRUPT && strstr(err, "entries"), "cEnt 200: %d %s\n", ret, err);

    free(d);
    free(orig);
}

static uint32_t rng_state;

static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

static void test_truncate(void)
{
    unsigned int i, runs = 0;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    for (i = 0; i < sample_count; i++)
    {
        uint8_t *data;
        size_t size, cut;

        data = read_file(sample_path(sample_names[i]), &size);
        for (cut = 0; cut < size; cut += (cut < 0x4400 ? 0x200 : 0x1000) + (rng() % 64))
        {
            uint8_t *copy = malloc(cut ? cut : 1);   /* exact size so ASan sees any overrun */
            int ret;

            memcpy(copy, data, cut);
            ret = exercise(copy, cut, NULL, 0);
            ok(ret == PST_OK || ret == PST_E_CORRUPT || ret == PST_E_UNSUPPORTED, "%s cut at %#zx: %d\n",
               sample_names[i], cut, ret);
            free(copy);
            runs++;
        }
        free(data);
    }
    ok(runs > 300, "%u truncations\n", runs);
}

static void test_flips(void)
{
    unsigned int i, v, opened = 0, runs = 0;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    rng_state = 0x5eed;
    for (i = 0; i < sample_count; i++)
    {
        uint8_t *data, *copy;
        size_t size;

        data = read_file(sample_path(sample_names[i]), &size);
        copy = malloc(size);
        for (v = 0; v < 120; v++)
        {
            unsigned int flips = 1 + rng() % 8, k;
            int ret;

            memcpy(copy, data, size);
            for (k = 0; k < flips; k++)
            {
                /* Bias towards the used part of the file. */
                size_t off = rng() % (v % 2 ? size : 0x20000);

                copy[off] ^= (uint8_t)(1 + rng() % 255);
            }
            /* Half the variants keep a valid header so deeper damage is reached. */
            if (v % 3) fix_header_crc(copy, size);
            ret = exercise(copy, size, NULL, 0);
            ok(ret == PST_OK || ret == PST_E_CORRUPT || ret == PST_E_UNSUPPORTED, "%s variant %u: %d\n",
               sample_names[i], v, ret);
            if (!ret) opened++;
            runs++;
        }
        free(copy);
        free(data);
    }
    ok(opened > runs / 4, "only %u of %u variants opened\n", opened, runs);
}

/* Structure-aware edits: random values written into B-tree pages with
 * their CRCs fixed, so the damage gets past the CRC checks. */
static void test_pages(void)
{
    unsigned int i, v, runs = 0;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    rng_state = 0xbeef;
    for (i = 0; i < sample_count; i++)
    {
        uint8_t *data, *copy;
        size_t size;

        data = read_file(sample_path(sample_names[i]), &size);
        copy = malloc(size);
        for (v = 0; v < 60; v++)
        {
            struct pst_io *io;
            struct pst_file *file;
            uint64_t ib;
            unsigned int unicode, k;

            memcpy(copy, data, size);
            if (open_memory(data, size, &io, &file)) break;
            unicode = file->unicode;
            ib = v % 2 ? file->nbt_ib : file->bbt_ib;
            close_memory(io, file);
            /* a child page when the root has levels */
            if (copy[ib + (unicode ? 491 : 499)] && rng() % 2)
                ib = unicode ? pst_rd64(copy + ib + 16) : pst_rd32(copy + ib + 8);
            if (ib + 512 > size) continue;
            for (k = 0; k < 1 + rng() % 4; k++) copy[ib + rng() % (unicode ? 492 : 500)] = (uint8_t)rng();
            pst_wr32(copy + ib + (unicode ? 500 : 508), pst_crc32(0, copy + ib, unicode ? 496 : 500));
            k = (unsigned int)exercise(copy, size, NULL, 0);
            ok(k == PST_OK || k == PST_E_CORRUPT, "%s page edit %u: %u\n", sample_names[i], v, k);
            runs++;
        }
        free(copy);
        free(data);
    }
    ok(runs > 100, "%u page edits\n", runs);
}

static const struct engine_test engine_tests[] =
{
    {"garbage", test_garbage},
    {"fields", test_fields},
    {"truncate", test_truncate},
    {"flips", test_flips},
    {"pages", test_pages},
};

ENGINE_TEST_MAIN
