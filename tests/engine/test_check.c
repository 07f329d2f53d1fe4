#define _XOPEN_SOURCE 700
/* Tests of the strict checker: the exact findings on the samples, and one
 * targeted corruption per rule, each of which must be reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enginetest.h"
#include "testutil.h"
#include "pst_private.h"

#define MAX_FINDINGS 256

struct found
{
    unsigned int count;
    struct
    {
        enum pst_check_code code;
        uint32_t nid;
        uint64_t bid, offset;
        char msg[256];
    } f[MAX_FINDINGS];
};

static void collect(void *ctx, const struct pst_finding *f)
{
    struct found *s = ctx;

    if (s->count >= MAX_FINDINGS) return;
    s->f[s->count].code = f->code;
    s->f[s->count].nid = f->nid;
    s->f[s->count].bid = f->bid;
    s->f[s->count].offset = f->offset;
    snprintf(s->f[s->count].msg, sizeof(s->f[0].msg), "%s", f->message);
    s->count++;
}

static int has_finding(const struct found *s, enum pst_check_code code, const char *text)
{
    unsigned int i;

    for (i = 0; i < s->count; i++)
        if (s->f[i].code == code && (!text || strstr(s->f[i].msg, text))) return 1;
    return 0;
}

static void dump(const struct found *s)
{
    unsigned int i;

    for (i = 0; i < s->count; i++)
        trace("finding %s nid %#x bid %#llx: %s\n", pst_check_code_name(s->f[i].code), s->f[i].nid,
              (unsigned long long)s->f[i].bid, s->f[i].msg);
}

/* The exact findings on Outlook's own files: every one is an allowed
 * exception documented at the top of pst_check.c. */
static const struct
{
    const char *sample;
    enum pst_check_code code;
    uint32_t nid;
    const char *text;
}
allowed[] =
{
    {"javalibpst_dist-list.pst", PST_CHK_AMAP_LEAK, 0, "block is referenced by nothing (cRef 1)"},
    {"javalibpst_dist-list.pst", PST_CHK_AMAP_LEAK, 0, "marks 200 unreferenced 64-byte slots"},
    {"javalibpst_passworded.pst", PST_CHK_AMAP_LEAK, 0, "marks 248 unreferenced 64-byte slots"},
    {"pstsdk_sample1.pst", PST_CHK_MESSAGING, 0x808e, "row 0x200024 has column 0x30130102 that the object lacks"},
    {"pstsdk_sample2.pst", PST_CHK_MESSAGING, 0x808e, "row 0x200024 has column 0x30130102 that the object lacks"},
    {"pstsdk_submessage.pst", PST_CHK_MESSAGING, 0x808e, "row 0x200024 column 0xe080003 differs"},
    {"pstsdk_submessage.pst", PST_CHK_MESSAGING, 0x808e, "row 0x200024 has column 0x30130102 that the object lacks"},
    {"pstsdk_test_ansi.pst", PST_CHK_AMAP_LEAK, 0, "marks 96 unreferenced 64-byte slots"},
    {"pstsdk_test_unicode.pst", PST_CHK_AMAP_LEAK, 0, "marks 120 unreferenced 64-byte slots"},
};

static void test_samples(void)
{
    static struct found s;
    unsigned int i, k;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    for (i = 0; i < sample_count; i++)
    {
        struct pst_io *io;
        struct pst_file *file;
        unsigned int count = 0, expected = 0;
        int ret;

        if (pst_io_open_file(sample_path(sample_names[i]), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
        {
            ok(0, "cannot open %s\n", sample_names[i]);
            continue;
        }
        memset(&s, 0, sizeof(s));
        ret = pst_check(file, collect, &s, &count);
        ok(!ret, "%s: check returned %d\n", sample_names[i], ret);
        ok(count == s.count, "%s: count %u, callbacks %u\n", sample_names[i], count, s.count);
        for (k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
        {
            unsigned int j, hit = 0;

            if (strcmp(allowed[k].sample, sample_names[i])) continue;
            expected++;
            for (j = 0; j < s.count; j++)
                if (s.f[j].code == allowed[k].code && s.f[j].nid == allowed[k].nid && strstr(s.f[j].msg, allowed[k].text))
                    hit++;
            ok(hit == 1, "%s: allowed finding \"%s\" seen %u times\n", sample_names[i], allowed[k].text, hit);
        }
        if (!ok(s.count == expected, "%s: %u findings, expected %u\n", sample_names[i], s.count, expected)) dump(&s);
        pst_close(file);
        io->close(io);
    }
}

/* ---- helpers to edit a copy ---- */

static void fix_page_crc(uint8_t *data, uint64_t ib, int unicode)
{
    uint32_t crc = pst_crc32(0, data + ib, unicode ? 496 : 500);

    pst_wr32(data + ib + (unicode ? 500 : 508), crc);
}

static uint8_t *copy_sample(const char *name, size_t *size)
{
    return read_file(sample_path(name), size);
}

/* Runs the checker on data; returns the open error (checker not run then). */
static int check_data(uint8_t *data, size_t size, struct found *s, char *err, size_t errsize)
{
    struct pst_io *io;
    struct pst_file *file;
    int ret;

    memset(s, 0, sizeof(*s));
    pst_io_open_memory(data, size, 0, &io);
    ret = pst_open(io, NULL, &file, err, errsize);
    if (!ret)
    {
        pst_check(file, collect, s, NULL);
        pst_close(file);
    }
    io->close(io);
    return ret;
}

struct layout
{
    uint64_t nbt_ib, bbt_ib, amap_ib;
    uint64_t msg_block_ib, msg_block_bid;
    int unicode;
};

static int get_layout(const uint8_t *data, size_t size, struct layout *l)
{
    struct pst_io *io;
    struct pst_file *file;
    struct pst_nbt_entry e;
    struct pst_bbt_entry b;
    int ret;

    if ((ret = open_memory(data, size, &io, &file))) return ret;
    l->nbt_ib = file->nbt_ib;
    l->bbt_ib = file->bbt_ib;
    l->amap_ib = PST_FIRST_AMAP;
    l->unicode = file->unicode;
    if (!(ret = pst_nbt_lookup(file, 0x200024, &e)) && !(ret = pst_bbt_lookup(file, e.bid_data, &b)))
    {
        l->msg_block_ib = b.ib;
        l->msg_block_bid = b.bid;
    }
    close_memory(io, file);
    return ret;
}

/* Finds the page and entry of a leaf key by walking raw pages. */
static int find_leaf(const uint8_t *data, uint64_t root, int unicode, int nbt, uint64_t key, uint64_t *page_ib,
                     unsigned int *index)
{
    uint64_t ib = root;
    unsigned int depth, idsz = unicode ? 8 : 4, meta = unicode ? 488 : 496;

    for (depth = 0; depth < 8; depth++)
    {
        const uint8_t *p = data + ib;
        unsigned int n = p[meta], cb = p[meta + 2], level = p[meta + 3], i, pick = 0;

        for (i = 0; i < n; i++)
        {
            uint64_t k = unicode ? pst_rd64(p + i * cb) : pst_rd32(p + i * cb);

            if (nbt && !level) k &= 0xffffffff;
            if (!level && k == key)
            {
                *page_ib = ib;
                *index = i;
                return 1;
            }
            if (level && k <= key) pick = i;
        }
        if (!level) return 0;
        ib = unicode ? pst_rd64(p + pick * cb + 2 * idsz) : pst_rd32(p + pick * cb + 2 * idsz);
    }
    return 0;
}

static void test_rules(void)
{
    static struct found s;
    uint8_t *orig, *d;
    size_t size;
    struct layout l;
    char err[512];
    uint64_t page;
    unsigned int idx, n, cb, level;
    int ret;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    orig = copy_sample("pstsdk_sample1.pst", &size);
    ok(orig && !get_layout(orig, size, &l), "sample1 layout\n");
    if (!orig) return;
    d = malloc(size);

    /* Header CRCs: the reader refuses a bad dwCRCPartial, naming it; a
     * bad dwCRCFull alone is what a write cut short between the header's
     * two sectors leaves (pst_ndb.c, parse_header): the reader takes the
     * first sector with the AMap invalid, the checker reports it. */
    memcpy(d, orig, size);
    d[40] ^= 1;
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(ret == PST_E_CORRUPT && strstr(err, "dwCRCPartial"), "partial CRC: %d %s\n", ret, err);
    memcpy(d, orig, size);
    d[500] ^= 1;
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(ret == PST_OK && has_finding(&s, PST_CHK_HEADER_CRC, "dwCRCFull"), "full CRC: %d %s\n", ret, err);

    /* fAMapValid 0 and a wrong cbAMapFree (header CRCs fixed). */
    memcpy(d, orig, size);
    d[180 + 68] = 0;
    pst_wr32(d + 180 + 20, pst_rd32(d + 180 + 20) + 64);
    fix_header_crc(d, size);
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(!ret && has_finding(&s, PST_CHK_AMAP, "fAMapValid is 0"), "fAMapValid not reported\n");
    ok(has_finding(&s, PST_CHK_AMAP, "cbAMapFree"), "cbAMapFree not reported\n");

    /* A data block's CRC. */
    memcpy(d, orig, size);
    d[l.msg_block_ib] ^= 0x55;
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(!ret && has_finding(&s, PST_CHK_BLOCK_CRC, "block CRC mismatch"), "block CRC not reported\n");

    /* A block's trailer BID. */
    memcpy(d, orig, size);
    {
        struct pst_io *io;
        struct pst_file *file;
        struct pst_bbt_entry b;

        open_memory(orig, size, &io, &file);
        pst_bbt_lookup(file, l.msg_block_bid, &b);
        close_memory(io, file);
        d[b.ib + ((b.cb + 16 + 63) & ~63) - 8] ^= 0x40;
    }
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(!ret && has_finding(&s, PST_CHK_BLOCK, "trailer BID"), "trailer BID not reported\n");

    /* The AMap marks a used block free (AMap page CRC fixed). */
    memcpy(d, orig, size);
    {
        uint64_t slot = (l.msg_block_ib - l.amap_ib) / 64;

        d[l.amap_ib + slot / 8] &= (uint8_t)~(0x80 >> (slot % 8));
        fix_page_crc(d, l.amap_ib, 1);
    }
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(!ret && has_finding(&s, PST_CHK_AMAP, "used 64-byte slots free"), "used-but-free not reported\n");
    ok(has_finding(&s, PST_CHK_AMAP, "cbAMapFree"), "free count change not reported\n");

    /* A page CRC in a leaf page (unused entry area, so the tree still reads). */
    memcpy(d, orig, size);
    ok(find_leaf(orig, l.bbt_ib, 1, 0, l.msg_block_bid, &page, &idx), "BBT leaf of the message block\n");
    d[page + 480] ^= 1;
    ret = check_data(d, size, &s, err, sizeof(err));
    if (page == l.bbt_ib) ok(ret == PST_E_CORRUPT, "root page CRC accepted\n");
    else ok(!ret && has_finding(&s, PST_CHK_PAGE_CRC, NULL), "page CRC not reported\n");

    /* cRef off by one. */
    memcpy(d, orig, size);
    d[page + idx * 24 + 18]++;
    fix_page_crc(d, page, 1);
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(!ret && has_finding(&s, PST_CHK_REFCOUNT, "expected references + 1"), "cRef not reported\n");

    /* Two keys out of order in a BBT leaf. */
    memcpy(d, orig, size);
    n = d[page + 488];
    cb = d[page + 490];
    ok(n >= 2, "leaf has %u entries\n", n);
    memcpy(d + page, orig + page + cb, cb);
    memcpy(d + page + cb, orig + page, cb);
    fix_page_crc(d, page, 1);
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(!ret && has_finding(&s, PST_CHK_BTREE, "out of order"), "key order not reported\n");

    /* A cycle: an NBT intermediate entry points back at the root. */
    memcpy(d, orig, size);
    level = d[l.nbt_ib + 491];
    if (level > 0 && d[l.nbt_ib + 488] >= 2)
    {
        memcpy(d + l.nbt_ib + 24 + 8, d + l.nbt_ib + 496 + 8, 8);   /* BID of the root */
        pst_wr32(d + l.nbt_ib + 24 + 16, (uint32_t)l.nbt_ib);
        memset(d + l.nbt_ib + 24 + 20, 0, 4);
        fix_page_crc(d, l.nbt_ib, 1);
        ret = check_data(d, size, &s, err, sizeof(err));
        ok(!ret && (has_finding(&s, PST_CHK_CYCLE, NULL) || has_finding(&s, PST_CHK_BTREE, "level")),
           "cycle not reported\n");
    }
    else skip("NBT root is a leaf\n");

    /* A message moved to another parent: the contents table no longer
     * matches the NBT parent links. */
    memcpy(d, orig, size);
    ok(find_leaf(orig, l.nbt_ib, 1, 1, 0x200024, &page, &idx), "NBT leaf of the message\n");
    pst_wr32(d + page + idx * 32 + 24, 0x8062);
    fix_page_crc(d, page, 1);
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(!ret && has_finding(&s, PST_CHK_MESSAGING, "not a child node"), "stray contents row not reported\n");
    ok(has_finding(&s, PST_CHK_MESSAGING, "PR_CONTENT_COUNT"), "content count not reported\n");

    /* A node whose data BID does not exist. */
    memcpy(d, orig, size);
    memcpy(d + page + idx * 32 + 8, "\x04\xff\xff\x0f\0\0\0\0", 8);
    fix_page_crc(d, page, 1);
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(!ret && has_finding(&s, PST_CHK_MISSING, "is not in the BBT"), "missing BID not reported\n");
    ok(has_finding(&s, PST_CHK_REFCOUNT, "referenced by nothing (cRef 2)"), "orphaned block not reported\n");

    /* Every problem is reported, not just the first. */
    memcpy(d, orig, size);
    d[l.msg_block_ib] ^= 0x55;
    d[180 + 68] = 0;
    fix_header_crc(d, size);
    ret = check_data(d, size, &s, err, sizeof(err));
    ok(!ret && has_finding(&s, PST_CHK_BLOCK_CRC, NULL) && has_finding(&s, PST_CHK_AMAP, "fAMapValid"),
       "not every finding reported\n");
    free(d);
    free(orig);
}

static const struct engine_test engine_tests[] =
{
    {"samples", test_samples},
    {"rules", test_rules},
};

ENGINE_TEST_MAIN
