#define _XOPEN_SOURCE 700
/* Limits on what file data can make the engine allocate or compute: each
 * test builds a structure that is valid block by block (CRCs, signatures,
 * lcbTotal agree) but whose sizes or fan-out are out of proportion to the
 * file, and expects PST_E_CORRUPT quickly.  An alarm turns a hang into a
 * failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

#include "enginetest.h"
#include "testutil.h"
#include "pst_private.h"

#define BIG_TAG PST_PROP_TAG(0x6701, PST_PT_BINARY)

static struct pst_value value_bin(uint32_t tag, const void *data, size_t size)
{
    struct pst_value v;

    memset(&v, 0, sizeof(v));
    v.tag = tag;
    v.type = PST_PROP_TYPE(tag);
    v.bytes = data;
    v.size = size;
    return v;
}

/* A new store in memory; *io owns the bytes. */
static int create_memory_store(struct pst_io **io, struct pst_file **file)
{
    static const uint16_t name[] = {'l', 'i', 'm'};
    struct pst_create_params p;
    char err[256];
    int ret;

    memset(&p, 0, sizeof(p));
    p.display_name = name;
    p.display_name_len = 3;
    if ((ret = pst_io_open_memory(NULL, 0, 1, io))) return ret;
    if ((ret = pst_create(*io, NULL, &p, file, err, sizeof(err))))
    {
        printf("    create: %s\n", err);
        (*io)->close(*io);
    }
    return ret;
}

static uint8_t *io_image(struct pst_io *io, size_t *size)
{
    uint64_t s;
    uint8_t *data;

    if (io->get_size(io, &s) || !(data = malloc((size_t)s))) return NULL;
    if (io->read(io, 0, data, (size_t)s))
    {
        free(data);
        return NULL;
    }
    *size = (size_t)s;
    return data;
}

/* Rewrites the CRC of an internal (unencoded) Unicode block in place. */
static void fix_block_crc(uint8_t *image, const struct pst_bbt_entry *e)
{
    size_t total = ((size_t)e->cb + 16 + 63) & ~(size_t)63;

    pst_wr32(image + e->ib + total - 16 + 4, pst_crc32(0, image + e->ib, e->cb));
}

/* An XXBLOCK whose two entries name the same XBLOCK: every block is
 * intact and lcbTotal agrees, but the value is twice as large as the file.
 * Without a bound, opening a stream on it promises (and readers allocate)
 * bytes the file does not have; with XXBLOCKs of 1021 entries this turns a
 * few kilobytes into gigabytes. */
static void test_shared_leaves(void)
{
    struct pst_io *io, *io2;
    struct pst_file *f;
    struct pst_object *msg;
    struct pst_stream *stream;
    struct pst_subnode sub;
    struct pst_bbt_entry xx, x0;
    struct pst_value props[2];
    struct pst_message_data data;
    size_t big = 1030 * 8176, size, i;
    uint32_t inbox, nid = 0, hnid = 0;
    uint8_t *payload, *image;
    int ret;

    if (create_memory_store(&io, &f)) return;
    payload = malloc(big);
    for (i = 0; i < big; i++) payload[i] = (uint8_t)(i * 7 + i / 8176);
    memset(&data, 0, sizeof(data));
    props[0] = value_bin(PST_PROP_TAG(0x001a, PST_PT_UNICODE), "I\0P\0M\0", 6);
    props[1] = value_bin(BIG_TAG, payload, big);
    data.props.props = props;
    data.props.count = 2;
    pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
    ok(!pst_begin(f), "begin\n");
    ret = pst_message_save(f, inbox, 0, &data, &nid);
    ok(!ret, "save: %d\n", ret);
    ret = pst_commit(f);
    ok(!ret, "commit: %d\n", ret);
    free(payload);

    /* the value's subnode is an XXBLOCK of two XBLOCKs */
    ok(!pst_message_open(f, nid, &msg), "open message\n");
    for (i = 0; i < msg->count; i++)
        if (PST_PROP_TAG(msg->records[i].id, msg->records[i].type) == BIG_TAG) hnid = msg->records[i].hnid;
    ok(hnid && (hnid & 0x1f), "value not in a subnode: %#x\n", hnid);
    ok(!pst_subnode_lookup(f, msg->bid_sub, hnid, &sub), "subnode\n");
    pst_object_close(msg);
    ok(!pst_bbt_lookup(f, sub.bid_data, &xx), "XXBLOCK entry\n");
    image = io_image(io, &size);
    pst_close(f);
    io->close(io);
    if (!image) return;
    ok(image[xx.ib] == 1 && image[xx.ib + 1] == 2 && pst_rd16(image + xx.ib + 2) == 2,
       "not an XXBLOCK of two: %u %u %u\n", image[xx.ib], image[xx.ib + 1], pst_rd16(image + xx.ib + 2));

    /* both entries name the first XBLOCK, lcbTotal says so */
    {
        struct pst_file *tmp;

        ok(!open_memory(image, size, &io2, &tmp), "reopen\n");
        ok(!pst_bbt_lookup(tmp, pst_rd64(image + xx.ib + 8), &x0), "XBLOCK entry\n");
        close_memory(io2, tmp);
    }
    memcpy(image + xx.ib + 16, image + xx.ib + 8, 8);
    pst_wr32(image + xx.ib + 4, 2 * pst_rd32(image + x0.ib + 4));
    fix_block_crc(image, &xx);
    ok((uint64_t)2 * pst_rd32(image + x0.ib + 4) > size, "the edited value is not larger than the file\n");

    ok(!open_memory(image, size, &io2, &f), "open edited\n");
    ok(!pst_message_open(f, nid, &msg), "open message\n");
    stream = NULL;
    ret = pst_prop_open_stream(msg, BIG_TAG, &stream);
    ok(ret == PST_E_CORRUPT && strstr(pst_last_error(f), "more bytes than the file"),
       "stream on shared leaves: %d (%s), size %llu of a %zu-byte file\n", ret, pst_last_error(f),
       (unsigned long long)pst_stream_size(stream), size);
    pst_stream_close(stream);
    {
        struct pst_value v;

        ret = pst_prop_get(msg, BIG_TAG, &v);
        ok(ret == PST_E_CORRUPT, "loading shared leaves: %d\n", ret);
    }
    pst_object_close(msg);
    close_memory(io2, f);
    free(image);
}

/* A BTH of four intermediate levels whose nodes have 300 entries that all
 * name the next level's node, and empty leaves: valid allocation by
 * allocation, never more records than the heap holds, but 300^4 visits. */
static void test_bth_fanout(void)
{
    enum { FAN = 300, LEVELS = 4 };
    struct pst_io *io;
    struct pst_file *f;
    struct pst_hn hn;
    struct pst_bth bth;
    uint8_t *records = NULL, *b;
    uint32_t count = 0, off, starts[LEVELS + 3], k, e;
    unsigned int nalloc = LEVELS + 2, size;
    int ret;

    if (create_memory_store(&io, &f)) return;
    b = calloc(1, PST_MAX_BLOCK);
    /* HNHDR, then allocation 1 (BTH header), 2..LEVELS+1 (the nodes, top
     * first), LEVELS+2 (empty leaf), then the page map */
    b[2] = 0xec;
    b[3] = 0xbc;
    pst_wr32(b + 4, 1 << 5);
    off = 12;
    starts[0] = off;
    b[off] = 0xb5;
    b[off + 1] = 2;
    b[off + 2] = 6;
    b[off + 3] = LEVELS;
    pst_wr32(b + off + 4, 2 << 5);
    off += 8;
    for (k = 0; k < LEVELS; k++)
    {
        starts[1 + k] = off;
        for (e = 0; e < FAN; e++)
        {
            b[off] = (uint8_t)e;
            b[off + 1] = (uint8_t)(e >> 8);
            pst_wr32(b + off + 2, (3 + k) << 5);
            off += 6;
        }
    }
    starts[1 + LEVELS] = off;   /* the empty leaf */
    starts[2 + LEVELS] = off;
    b[0] = (uint8_t)off;
    b[1] = (uint8_t)(off >> 8);
    b[off] = (uint8_t)nalloc;
    b[off + 2] = 0;
    for (k = 0; k <= nalloc; k++)
    {
        b[off + 4 + 2 * k] = (uint8_t)starts[k];
        b[off + 5 + 2 * k] = (uint8_t)(starts[k] >> 8);
    }
    size = off + 4 + 2 * (nalloc + 1);
    ok(size <= f->max_block_data, "heap block of %u bytes\n", size);

    memset(&hn, 0, sizeof(hn));
    hn.file = f;
    hn.nid = 0x21;
    hn.count = 1;
    hn.blocks = malloc(sizeof(*hn.blocks));
    hn.blocks[0] = b;
    hn.sizes = malloc(sizeof(*hn.sizes));
    hn.sizes[0] = size;
    hn.bids = calloc(1, sizeof(*hn.bids));
    hn.client_sig = 0xbc;
    hn.hid_user_root = 1 << 5;

    alarm(60);
    ret = pst_bth_open(&hn, hn.hid_user_root, &bth);
    ok(!ret, "BTH header: %d %s\n", ret, pst_last_error(f));
    if (!ret)
    {
        ret = pst_bth_collect(&bth, &records, &count);
        ok(ret == PST_E_CORRUPT && strstr(pst_last_error(f), "visits more entries"),
           "fan-out BTH: %d %s\n", ret, pst_last_error(f));
        free(records);
    }
    alarm(0);
    pst_hn_free(&hn);
    pst_close(f);
    io->close(io);
}

static const struct engine_test engine_tests[] =
{
    {"shared_leaves", test_shared_leaves},
    {"bth_fanout", test_bth_fanout},
};

ENGINE_TEST_MAIN
