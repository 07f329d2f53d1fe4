#define _XOPEN_SOURCE 700
/* Unit tests of the io and ndb layers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enginetest.h"
#include "testutil.h"
#include "pst_private.h"

static void test_crc(void)
{
    static const char check[] = "123456789";
    uint8_t zeros[16] = {0}, all[256];
    unsigned int i;

    /* Expected values from zlib: crc32(data, 0xffffffff) ^ 0xffffffff. */
    ok(pst_crc32(0, check, 9) == 0x2dfd2d88, "crc of 123456789 is %#x\n", pst_crc32(0, check, 9));
    ok(pst_crc32(0, "", 0) == 0, "crc of nothing is %#x\n", pst_crc32(0, "", 0));
    ok(pst_crc32(0, zeros, sizeof(zeros)) == 0, "crc of zeros is %#x\n", pst_crc32(0, zeros, sizeof(zeros)));
    for (i = 0; i < 256; i++) all[i] = (uint8_t)i;
    ok(pst_crc32(0, all, 256) == 0x2493092b, "crc of 0..255 is %#x\n", pst_crc32(0, all, 256));
    /* Incremental use gives the same result. */
    ok(pst_crc32(pst_crc32(0, all, 100), all + 100, 156) == 0x2493092b, "incremental crc differs\n");
    ok(pst_compute_sig(0x4400, 0x24) == (uint16_t)(((0x4400 ^ 0x24) >> 16) ^ (0x4400 ^ 0x24)), "signature\n");
    ok(pst_compute_sig(0x123456789abcULL, 0x10) == 0xccd4, "signature %#x\n", pst_compute_sig(0x123456789abcULL, 0x10));
}

/* The sliced CRC and the unrolled substitution against their bytewise
 * definitions: every length 0..64 (all tail cases, one to eight slices),
 * every start 0..7 (misaligned loads), random bytes and initial values. */
static void test_fast_paths(void)
{
    uint8_t buf[64 + 8 + 16], ref[sizeof(buf)], got[sizeof(buf)];
    uint32_t x = 0x12345678, init;
    unsigned int len, start, i, round, map, bad_crc = 0, bad_perm = 0;
    static uint8_t big[8192 + 13];

    for (round = 0; round < 8; round++)
    {
        for (i = 0; i < sizeof(buf); i++)
        {
            x = x * 1103515245u + 12345u;
            buf[i] = (uint8_t)(x >> 16);
        }
        init = round & 1 ? x : 0;
        for (len = 0; len <= 64; len++)
        {
            for (start = 0; start < 8; start++)
            {
                if (pst_crc32(init, buf + start, len) != pst_crc32_bytewise(init, buf + start, len))
                {
                    if (!bad_crc++) ok(0, "crc differs at length %u start %u\n", len, start);
                }
                for (map = 0; map < 2; map++)
                {
                    const uint8_t *table = pst_permute_table + (map ? 512 : 0);

                    memcpy(ref, buf, sizeof(buf));
                    memcpy(got, buf, sizeof(buf));
                    for (i = 0; i < len; i++) ref[start + 8 + i] = table[ref[start + 8 + i]];
                    if (map) pst_permute_decode(got + start + 8, len);
                    else pst_permute_encode(got + start + 8, len);
                    /* also proves nothing around the range is touched */
                    if (memcmp(ref, got, sizeof(buf)))
                    {
                        if (!bad_perm++)
                            ok(0, "permute %s differs at length %u start %u\n", map ? "decode" : "encode", len, start);
                    }
                }
            }
        }
    }
    ok(!bad_crc, "%u crc mismatches\n", bad_crc);
    ok(!bad_perm, "%u permute mismatches\n", bad_perm);
    /* a whole block, misaligned, and split anywhere */
    for (i = 0; i < sizeof(big); i++)
    {
        x = x * 1103515245u + 12345u;
        big[i] = (uint8_t)(x >> 16);
    }
    ok(pst_crc32(0, big + 5, 8187) == pst_crc32_bytewise(0, big + 5, 8187), "block crc differs\n");
    ok(pst_crc32(pst_crc32(0, big + 5, 4093), big + 5 + 4093, 4094) == pst_crc32(0, big + 5, 8187),
       "split block crc differs\n");
    ok(pst_crc32_bytewise(0, "123456789", 9) == 0x2dfd2d88, "bytewise crc of 123456789 is %#x\n",
       pst_crc32_bytewise(0, "123456789", 9));
}

static void test_permute(void)
{
    const char *dir = shared_dir();
    uint8_t buf[256], *table;
    char path[4200];
    size_t size;
    unsigned int i;
    static const uint8_t hello_decoded[] = {0x28, 0xda, 0xcd, 0xcd, 0xd3, 0x6b, 0x39, 0xb9, 0x67, 0xd2, 0x05};

    if (!dir)
    {
        skip("shared reference material not found\n");
        return;
    }
    snprintf(path, sizeof(path), "%s/tools/pst/permute_table.bin", dir);
    table = read_file(path, &size);
    ok(table && size == 768, "cannot read %s\n", path);
    if (table && size == 768)
        ok(!memcmp(table, pst_permute_table, 768), "generated table differs from permute_table.bin\n");
    free(table);
    for (i = 0; i < 256; i++) buf[i] = (uint8_t)i;
    pst_permute_encode(buf, 256);
    pst_permute_decode(buf, 256);
    for (i = 0; i < 256; i++) if (buf[i] != i) break;
    ok(i == 256, "permute round trip fails at %u\n", i);
    /* Decoding matches ltpdump.py's decode(). */
    memcpy(buf, "Hello, PST!", 11);
    pst_permute_decode(buf, 11);
    ok(!memcmp(buf, hello_decoded, 11), "permute decode differs from ltpdump.py\n");
}

static void test_cyclic(void)
{
    /* ltpdump.py decode() with crypt 2, bid 0x1234568, data 0..31 */
    static const uint8_t expect[32] =
    {
        0xbe, 0xdb, 0xd3, 0xf0, 0x7d, 0xcb, 0x8a, 0xd9, 0xd6, 0x3d, 0x4b, 0xbb, 0x61, 0x3e, 0xab, 0xce,
        0x2c, 0x99, 0x5a, 0xd4, 0xad, 0x12, 0xe0, 0xc4, 0xbb, 0xb2, 0x7b, 0xb7, 0x33, 0xc9, 0x02, 0xf0,
    };
    uint8_t buf[4096], orig[4096];
    unsigned int i;

    for (i = 0; i < 32; i++) buf[i] = (uint8_t)i;
    pst_cyclic(buf, 32, 0x1234568);
    ok(!memcmp(buf, expect, 32), "cyclic output differs from ltpdump.py\n");
    for (i = 0; i < sizeof(orig); i++) orig[i] = (uint8_t)(i * 7 + 3);
    memcpy(buf, orig, sizeof(buf));
    pst_cyclic(buf, sizeof(buf), 0xdeadbeef);
    ok(memcmp(buf, orig, sizeof(buf)), "cyclic did not change the data\n");
    pst_cyclic(buf, sizeof(buf), 0xdeadbeef);
    ok(!memcmp(buf, orig, sizeof(buf)), "cyclic is not its own inverse\n");
}

/* Values printed by pstdump.py (Unicode) and by hand-decoding the ANSI
 * headers; ibFileEof 0x42400 and crypt 1 are common to all samples. */
static const struct
{
    const char *name;
    enum pst_format format;
    uint64_t amap_free;
}
header_expect[] =
{
    {"javalibpst_dist-list.pst", PST_FORMAT_UNICODE, 0x23b80},
    {"javalibpst_passworded.pst", PST_FORMAT_UNICODE, 0x285c0},
    {"outlook-pst-rs_Empty.pst", PST_FORMAT_UNICODE, 0x3ad40},
    {"pstsdk_sample1.pst", PST_FORMAT_UNICODE, 0x1e900},
    {"pstsdk_sample2.pst", PST_FORMAT_ANSI, 0},
    {"pstsdk_submessage.pst", PST_FORMAT_UNICODE, 0x33b80},
    {"pstsdk_test_ansi.pst", PST_FORMAT_ANSI, 0},
    {"pstsdk_test_unicode.pst", PST_FORMAT_UNICODE, 0x35fc0},
};

static void test_header(void)
{
    unsigned int i;

    if (!shared_dir())
    {
        skip("sample files not found\n");
        return;
    }
    for (i = 0; i < sizeof(header_expect) / sizeof(header_expect[0]); i++)
    {
        struct pst_io *io;
        struct pst_file *file;
        struct pst_file_info info;
        char err[256];
        int ret;

        ret = pst_io_open_file(sample_path(header_expect[i].name), 0, &io);
        ok(!ret, "%s: io open failed %d\n", header_expect[i].name, ret);
        if (ret) continue;
        ret = pst_open(io, NULL, &file, err, sizeof(err));
        ok(!ret, "%s: open failed %d (%s)\n", header_expect[i].name, ret, err);
        if (!ret)
        {
            pst_get_info(file, &info);
            ok(info.format == header_expect[i].format, "%s: format %d\n", header_expect[i].name, info.format);
            ok(info.wver == (info.format == PST_FORMAT_UNICODE ? 23 : 14), "%s: wVer %u\n", header_expect[i].name, info.wver);
            ok(info.crypt_method == 1, "%s: crypt %u\n", header_expect[i].name, info.crypt_method);
            ok(info.file_eof == 0x42400, "%s: eof %#llx\n", header_expect[i].name, (unsigned long long)info.file_eof);
            ok(info.amap_valid == 2, "%s: fAMapValid %u\n", header_expect[i].name, info.amap_valid);
            if (header_expect[i].amap_free)
                ok(info.amap_free == header_expect[i].amap_free, "%s: cbAMapFree %#llx\n", header_expect[i].name,
                   (unsigned long long)info.amap_free);
            pst_close(file);
        }
        io->close(io);
    }
}

struct count_ctx
{
    unsigned int count;
};

static int count_cb(void *ctx, const struct pst_node_info *info)
{
    (void)info;
    ((struct count_ctx *)ctx)->count++;
    return 0;
}

/* Every node pstdump.py lists is found by lookup with the same links and
 * sizes, and iteration sees exactly as many nodes. */
static void test_btree(void)
{
    unsigned int i;
    char cmd[9000];

    if (!shared_dir() || !have_program("/usr/bin/python3"))
    {
        skip("samples or /usr/bin/python3 not available\n");
        return;
    }
    for (i = 0; i < sample_count; i++)
    {
        struct pst_io *io;
        struct pst_file *file;
        struct count_ctx cc = {0};
        char *out, *line;
        unsigned int listed = 0, total = 0;
        int status;

        if (strstr(sample_names[i], "ansi") || strstr(sample_names[i], "sample2")) continue; /* pstdump is Unicode only */
        snprintf(cmd, sizeof(cmd), "cd '%s/tools/pst' && /usr/bin/python3 pstdump.py '%s' 2>/dev/null", shared_dir(),
                 sample_path(sample_names[i]));
        out = run_capture(cmd, &status);
        ok(out != NULL, "pstdump.py did not run\n");
        if (!out) continue;
        if (pst_io_open_file(sample_path(sample_names[i]), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
        {
            ok(0, "%s: cannot open\n", sample_names[i]);
            free(out);
            continue;
        }
        for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
        {
            unsigned int nid, type, parent, sub;
            unsigned long long data, cb;
            struct pst_nbt_entry e;
            struct pst_bbt_entry b;

            if (sscanf(line, " nodes, %u", &total) == 1) continue;
            if (sscanf(line, "%u nodes", &total) == 1) continue;
            if (sscanf(line, " nid %x type %x parent %x data bid %llx (cb %llu) sub %x", &nid, &type, &parent, &data, &cb,
                       &sub) < 4) continue;
            listed++;
            if (!ok(!pst_nbt_lookup(file, nid, &e), "%s: nid %#x not found\n", sample_names[i], nid)) continue;
            ok(e.nid_parent == parent, "%s: nid %#x parent %#x, pstdump %#x\n", sample_names[i], nid, e.nid_parent, parent);
            ok(e.bid_data == data, "%s: nid %#x data %#llx, pstdump %#llx\n", sample_names[i], nid,
               (unsigned long long)e.bid_data, data);
            if (data && strstr(line, "(cb ?)") == NULL)
            {
                ok(!pst_bbt_lookup(file, data, &b) && b.cb == cb, "%s: bid %#llx cb %u, pstdump %llu\n",
                   sample_names[i], data, b.cb, cb);
            }
        }
        ok(!pst_node_foreach(file, count_cb, &cc), "%s: foreach failed\n", sample_names[i]);
        ok(listed > 0 && cc.count == listed, "%s: foreach saw %u nodes, pstdump listed %u\n", sample_names[i], cc.count, listed);
        ok(total == listed, "%s: pstdump total %u vs listed %u\n", sample_names[i], total, listed);
        {
            struct pst_nbt_entry absent;

            ok(pst_nbt_lookup(file, 0x7fffffe1, &absent) == PST_E_NOT_FOUND, "%s: absent nid found\n", sample_names[i]);
        }
        pst_close(file);
        io->close(io);
        free(out);
    }
}

/* A value larger than one block (sample1's 93142-byte attachment, an
 * XBLOCK) streams in ranges that agree with one whole read. */
static void test_datatree(void)
{
    struct pst_io *io;
    struct pst_file *file;
    struct pst_object *msg, *att;
    struct pst_stream *s;
    struct pst_value v;
    struct pst_table *t;
    uint8_t *whole, part[5000];
    uint32_t id;
    size_t got, total;
    uint64_t off;
    int ret;

    if (!shared_dir())
    {
        skip("sample files not found\n");
        return;
    }
    if (pst_io_open_file(sample_path("pstsdk_sample1.pst"), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
    {
        ok(0, "cannot open sample1\n");
        return;
    }
    ret = pst_message_open(file, 0x200024, &msg);
    ok(!ret, "message open %d\n", ret);
    if (ret) goto done;
    ret = pst_message_open_table(msg, PST_NID_ATTACHMENT_TABLE, &t);
    ok(!ret && pst_table_row_count(t) == 1, "attachment table %d\n", ret);
    if (ret) goto done_msg;
    ok(!pst_table_row_id(t, 0, &id), "row id\n");
    pst_table_close(t);
    ret = pst_message_open_attachment(msg, id, &att);
    ok(!ret, "attachment open %d\n", ret);
    if (ret) goto done_msg;
    ret = pst_prop_get(att, PST_PR_ATTACH_DATA_BIN, &v);
    ok(!ret && v.size == 93142, "attachment size %u\n", (unsigned int)v.size);
    ret = pst_prop_open_stream(att, PST_PR_ATTACH_DATA_BIN, &s);
    ok(!ret && pst_stream_size(s) == 93142, "stream size\n");
    if (!ret)
    {
        total = (size_t)pst_stream_size(s);
        whole = malloc(total);
        ok(!pst_stream_read(s, 0, whole, total, &got) && got == total, "whole read\n");
        ok(!memcmp(whole, v.bytes, total), "stream differs from value\n");
        /* Odd ranges across block boundaries (8176 bytes per block). */
        for (off = 1; off < total; off += 4999)
        {
            ret = pst_stream_read(s, off, part, sizeof(part), &got);
            if (!ok(!ret && got == (total - off < sizeof(part) ? total - off : sizeof(part)), "range at %llu\n",
                    (unsigned long long)off)) break;
            if (!ok(!memcmp(part, whole + off, got), "range at %llu differs\n", (unsigned long long)off)) break;
        }
        ok(!pst_stream_read(s, total, part, 10, &got) && !got, "read at end returned %u\n", (unsigned int)got);
        ok(!memcmp(whole, "\xff\xd8\xff", 3), "attachment is not a JPEG\n");
        free(whole);
        pst_stream_close(s);
    }
    pst_object_close(att);
done_msg:
    pst_object_close(msg);
done:
    pst_close(file);
    io->close(io);
}

static void test_io(void)
{
    static const uint8_t data[] = "0123456789";
    struct pst_io *io, *fio;
    struct pst_fault fault;
    uint8_t buf[16];
    uint64_t size;
    struct pst_file *file;
    char err[256];
    int ret;

    ok(!pst_io_open_memory(data, 10, 1, &io), "memory open\n");
    ok(!io->get_size(io, &size) && size == 10, "size\n");
    ok(!io->read(io, 2, buf, 3) && !memcmp(buf, "234", 3), "read\n");
    ok(io->read(io, 8, buf, 3) == PST_E_IO, "read past end\n");
    ok(!io->write(io, 12, "ab", 2) && !io->get_size(io, &size) && size == 14, "write extends\n");
    ok(!io->read(io, 10, buf, 4) && !memcmp(buf, "\0\0ab", 4), "gap is zero-filled\n");
    ok(!io->set_size(io, 5) && !io->get_size(io, &size) && size == 5, "set_size\n");
    ok(!io->flush(io), "flush\n");

    memset(&fault, 0, sizeof(fault));
    fault.fail_read = 2;
    fault.fail_flush = 1;
    ok(!pst_io_open_fault(io, &fault, &fio), "fault open\n");
    ok(!fio->read(fio, 0, buf, 1), "first read\n");
    ok(fio->read(fio, 0, buf, 1) == PST_E_IO, "second read should fail\n");
    ok(!fio->read(fio, 0, buf, 1), "third read\n");
    ok(fio->flush(fio) == PST_E_IO, "flush should fail\n");
    ok(fault.reads == 3, "reads %u\n", fault.reads);
    fio->close(fio);
    io->close(io);

    ok(!pst_io_open_memory(data, 10, 0, &io), "memory open in place\n");
    ok(io->write(io, 0, "x", 1) == PST_E_READ_ONLY, "in-place memory is read-only\n");
    ret = pst_open(io, NULL, &file, err, sizeof(err));
    ok(ret == PST_E_CORRUPT && !file && strstr(err, "too small"), "10-byte file: %d %s\n", ret, err);
    io->close(io);

    ok(pst_io_open_file("/nonexistent/file.pst", 0, &io) == PST_E_NOT_FOUND, "missing file\n");
    ok(pst_io_open_file_w((const uint16_t *)L"", 0, &io) == PST_E_UNSUPPORTED, "wide open is Windows only\n");
    if (shared_dir())
    {
        ok(!pst_io_open_file(sample_path(sample_names[0]), 0, &io), "file open\n");
        ok(io->write(io, 0, "x", 1) == PST_E_READ_ONLY, "read-only file accepted a write\n");
        ok(!io->get_size(io, &size) && size == 271360, "file size %llu\n", (unsigned long long)size);
        io->close(io);
    }
}

/* Failing each read / each allocation in turn gives a clean error (and no
 * leak under ASan) until the whole open + walk succeeds. */
static void test_faults(void)
{
    uint8_t *data;
    size_t size;
    unsigned int n, kind;

    if (!shared_dir())
    {
        skip("sample files not found\n");
        return;
    }
    data = read_file(sample_path("pstsdk_submessage.pst"), &size);
    ok(data != NULL, "read sample\n");
    if (!data) return;
    for (kind = 0; kind < 2; kind++)
    {
        for (n = 1; n < 5000; n++)
        {
            struct pst_io *mem, *fio;
            struct pst_fault fault;
            struct pst_allocator alloc;
            struct pst_file *file;
            struct pst_object *msg, *att, *sub;
            int ret, walked = 0;

            memset(&fault, 0, sizeof(fault));
            if (kind) fault.fail_alloc = n;
            else fault.fail_read = n;
            pst_fault_allocator(&fault, &alloc);
            pst_io_open_memory(data, size, 0, &mem);
            pst_io_open_fault(mem, &fault, &fio);
            ret = pst_open(fio, &alloc, &file, NULL, 0);
            if (!ret)
            {
                ret = pst_message_open(file, 0x200024, &msg);
                if (!ret)
                {
                    ret = pst_message_open_attachment(msg, 0x8025, &att);
                    if (ret == PST_E_NOT_FOUND) ret = PST_OK;
                    else if (!ret)
                    {
                        ret = pst_attachment_open_message(att, &sub);
                        if (!ret)
                        {
                            walked = 1;
                            pst_object_close(sub);
                        }
                        pst_object_close(att);
                    }
                    pst_object_close(msg);
                }
                pst_close(file);
            }
            fio->close(fio);
            mem->close(mem);
            if (kind ? fault.allocs < n : fault.reads < n)
            {
                ok(!ret && walked, "%s: run without a fault failed: %d\n", kind ? "alloc" : "read", ret);
                break;
            }
            if (!ok(ret == (kind ? PST_E_NOMEM : PST_E_IO), "%s fault %u gave %d\n", kind ? "alloc" : "read", n, ret))
                break;
        }
        ok(n > 3 && n < 5000, "%s faults: %u runs\n", kind ? "alloc" : "read", n);
    }
    free(data);
}

static const struct engine_test engine_tests[] =
{
    {"crc", test_crc},
    {"fast_paths", test_fast_paths},
    {"permute", test_permute},
    {"cyclic", test_cyclic},
    {"header", test_header},
    {"btree", test_btree},
    {"datatree", test_datatree},
    {"io", test_io},
    {"faults", test_faults},
};

ENGINE_TEST_MAIN
