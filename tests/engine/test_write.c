/*
 * Native tests of the PST writer: store creation, transactions, locking,
 * messaging writes, crash (kill), power-loss and fault-injection safety.  The
 * model-based random test is test_model.c.
 *
 * `test_write --make-samples DIR` writes the stores that oracle_write.sh
 * hands to the independent readers.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "enginetest.h"
#include "pst.h"
#include "testutil.h"

#define PR_SUBJECT_W        0x0037001f
#define PR_MESSAGE_CLASS_W  0x001a001f
#define PR_MESSAGE_FLAGS    0x0e070003
#define PR_MESSAGE_SIZE     0x0e080003
#define PR_BODY_W           0x1000001f
#define PR_DISPLAY_NAME_W   0x3001001f
#define PR_EMAIL_ADDRESS_W  0x3003001f
#define PR_ADDRTYPE_W       0x3002001f
#define PR_RECIPIENT_TYPE   0x0c150003
#define PR_ATTACH_FILENAME_W 0x3704001f
#define PR_ATTACH_LONG_FILENAME_W 0x3707001f
#define PR_ATTACH_METHOD    0x37050003
#define PR_CONTENT_COUNT    0x36020003
#define PR_CONTENT_UNREAD   0x36030003
#define PR_SENDER_NAME_W    0x0c1a001f
#define PR_MESSAGE_DELIVERY_TIME 0x0e060040
#define PR_IMPORTANCE       0x00170003

/* ------------------------------------------------------------- helpers -- */

/* Strings for values live in a pool freed by pool_free. */
static void *pool[65536];
static unsigned int pool_count;

static void *pool_add(void *p)
{
    if (pool_count < sizeof(pool) / sizeof(pool[0])) pool[pool_count++] = p;
    return p;
}

static void pool_free(void)
{
    while (pool_count) free(pool[--pool_count]);
}

static struct pst_value vstr(uint32_t tag, const char *s)
{
    struct pst_value v;
    size_t i, n = strlen(s);
    uint8_t *w = pool_add(malloc(2 * n + 1));

    memset(&v, 0, sizeof(v));
    for (i = 0; i < n; i++)
    {
        w[2 * i] = (uint8_t)s[i];
        w[2 * i + 1] = 0;
    }
    v.tag = tag;
    v.type = tag & 0xffff;
    v.bytes = w;
    v.size = 2 * n;
    return v;
}

static struct pst_value vlong(uint32_t tag, int32_t l)
{
    struct pst_value v;

    memset(&v, 0, sizeof(v));
    v.tag = tag;
    v.type = tag & 0xffff;
    v.u.l = l;
    return v;
}

static struct pst_value vi8(uint32_t tag, int64_t l)
{
    struct pst_value v = vlong(tag, 0);

    v.u.i8 = l;
    return v;
}

static struct pst_value vbin(uint32_t tag, const void *data, size_t size)
{
    struct pst_value v = vlong(tag, 0);

    v.bytes = data;
    v.size = size;
    return v;
}

static const char *tmp_path(const char *name)
{
    static char buf[8][512];
    static unsigned int k;
    char *p = buf[k++ % 8];

    snprintf(p, 512, "%s/pstw-%d-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid(), name);
    return p;
}

static unsigned int findings;

static void count_finding(void *ctx, const struct pst_finding *f)
{
    (void)ctx;
    if (findings < 10)
        printf("    finding %s nid=%#x bid=%#llx: %s\n", pst_check_code_name(f->code), f->nid, (unsigned long long)f->bid,
               f->message);
    findings++;
}

static unsigned int check_file(struct pst_file *f)
{
    unsigned int n = 0;

    findings = 0;
    pst_check(f, count_finding, NULL, &n);
    return n;
}

/* Opens path read-only and runs the checker; returns findings or ~0u. */
static unsigned int check_path(const char *path)
{
    struct pst_io *io;
    struct pst_file *f;
    char err[256];
    unsigned int n;

    if (pst_io_open_file(path, 0, &io)) return ~0u;
    if (pst_open(io, NULL, &f, err, sizeof(err)))
    {
        printf("    open: %s\n", err);
        io->close(io);
        return ~0u;
    }
    n = check_file(f);
    pst_close(f);
    io->close(io);
    return n;
}

static int create_store(const char *path, const char *name, uint8_t crypt, struct pst_io **io, struct pst_file **f)
{
    struct pst_create_params p;
    struct pst_value v = vstr(0, name);
    char err[256];
    int ret;

    memset(&p, 0, sizeof(p));
    p.display_name = (const uint16_t *)v.bytes;
    p.display_name_len = v.size / 2;
    p.crypt_method = crypt;
    if ((ret = pst_io_open_file(path, PST_IO_WRITE | PST_IO_CREATE, io))) return ret;
    if ((ret = pst_create(*io, NULL, &p, f, err, sizeof(err))))
    {
        printf("    create: %s\n", err);
        (*io)->close(*io);
    }
    return ret;
}

static int get_long(struct pst_file *f, uint32_t nid, uint32_t tag, int32_t *out)
{
    struct pst_object *o;
    struct pst_value v;
    int ret;

    if ((ret = pst_object_open(f, nid, &o))) return ret;
    if (!(ret = pst_prop_get(o, tag, &v))) *out = PST_PROP_TYPE(tag) == PST_PT_BOOLEAN ? v.u.boolean : v.u.l;
    pst_object_close(o);
    return ret;
}

/* A message with n recipients and attachments of the given sizes. */
struct msg_build
{
    struct pst_value props[16];
    struct pst_propset recips[4];
    struct pst_value rprops[4][4];
    struct pst_attachment_data atts[4];
    struct pst_value aprops[4][4];
    struct pst_message_data data;
};

static uint8_t *pattern(size_t size, unsigned int seed)
{
    uint8_t *p = pool_add(malloc(size ? size : 1));
    size_t i;
    uint32_t x = seed * 2654435761u + 1;

    for (i = 0; i < size; i++)
    {
        x = x * 1103515245u + 12345u;
        p[i] = (uint8_t)(x >> 16);
    }
    return p;
}

static void build_message(struct msg_build *m, const char *subject, int read, unsigned int nrecip, const size_t *att_sizes,
                          unsigned int natt, size_t body_len)
{
    unsigned int i, n = 0;
    char *body;

    memset(m, 0, sizeof(*m));
    m->props[n++] = vstr(PR_MESSAGE_CLASS_W, "IPM.Note");
    m->props[n++] = vstr(PR_SUBJECT_W, subject);
    m->props[n++] = vlong(PR_MESSAGE_FLAGS, read ? 1 : 0);
    m->props[n++] = vstr(PR_SENDER_NAME_W, "Alice Example");
    m->props[n++] = vi8(PR_MESSAGE_DELIVERY_TIME, 133000000000000000ll);
    m->props[n++] = vlong(PR_IMPORTANCE, 1);
    body = pool_add(malloc(body_len + 1));
    for (i = 0; i < body_len; i++) body[i] = (char)('a' + i % 26);
    body[body_len] = 0;
    m->props[n++] = vstr(PR_BODY_W, body);
    m->data.props.props = m->props;
    m->data.props.count = n;
    for (i = 0; i < nrecip && i < 4; i++)
    {
        m->rprops[i][0] = vlong(PR_RECIPIENT_TYPE, 1);
        m->rprops[i][1] = vstr(PR_DISPLAY_NAME_W, "Bob Example");
        m->rprops[i][2] = vstr(PR_EMAIL_ADDRESS_W, "bob@example.org");
        m->rprops[i][3] = vstr(PR_ADDRTYPE_W, "SMTP");
        m->recips[i].props = m->rprops[i];
        m->recips[i].count = 4;
    }
    m->data.recipients = m->recips;
    m->data.recipient_count = nrecip;
    for (i = 0; i < natt && i < 4; i++)
    {
        char fname[16];

        /* distinct names: readpst renames duplicates */
        snprintf(fname, sizeof(fname), "data%u.bin", i);
        m->aprops[i][0] = vlong(PR_ATTACH_METHOD, 1);
        m->aprops[i][1] = vstr(PR_ATTACH_FILENAME_W, fname);
        m->aprops[i][2] = vstr(PR_ATTACH_LONG_FILENAME_W, fname);
        m->aprops[i][3] = vbin(PST_PR_ATTACH_DATA_BIN, pattern(att_sizes[i], i + 1), att_sizes[i]);
        m->atts[i].props.props = m->aprops[i];
        m->atts[i].props.count = 4;
    }
    m->data.attachments = m->atts;
    m->data.attachment_count = natt;
}

/* ---------------------------------------------------------------- units -- */

static void test_create(void)
{
    static const uint8_t uid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    const char *path = tmp_path("create.pst");
    struct pst_create_params p;
    struct pst_value name = vstr(0, "My Store");
    struct pst_io *io;
    struct pst_file *f;
    struct pst_object *store;
    struct pst_value v;
    uint8_t got[16];
    uint32_t nid;
    char err[256];
    int crypt, ret;

    for (crypt = 0; crypt <= 1; crypt++)
    {
        memset(&p, 0, sizeof(p));
        p.display_name = (const uint16_t *)name.bytes;
        p.display_name_len = name.size / 2;
        p.uid = crypt ? uid : NULL;
        p.crypt_method = (uint8_t)crypt;
        ret = pst_io_open_file(path, PST_IO_WRITE | PST_IO_CREATE, &io);
        ok(!ret, "open: %d\n", ret);
        if (ret) return;
        ret = pst_create(io, NULL, &p, &f, err, sizeof(err));
        ok(!ret, "create: %d %s\n", ret, err);
        if (ret) return;
        ok(!check_file(f), "crypt %d: findings on the new store\n", crypt);
        pst_close(f);
        io->close(io);
        ok(check_path(path) == 0, "crypt %d: findings after reopening\n", crypt);

        pst_io_open_file(path, 0, &io);
        ret = pst_open(io, NULL, &f, err, sizeof(err));
        ok(!ret, "reopen: %s\n", err);
        if (ret) return;
        {
            struct pst_file_info info;

            pst_get_info(f, &info);
            ok(info.crypt_method == crypt && info.wver == 23 && info.amap_valid == 2, "info %u %u %u\n",
               info.crypt_method, info.wver, info.amap_valid);
            ok(info.file_size == 271360, "size %llu\n", (unsigned long long)info.file_size);
        }
        ok(!pst_store_get_uid(f, got), "uid\n");
        if (crypt) ok(!memcmp(got, uid, 16), "record key differs\n");
        ok(!pst_store_open(f, &store), "store\n");
        ok(!pst_prop_get(store, PR_DISPLAY_NAME_W, &v) && v.size == name.size && !memcmp(v.bytes, name.bytes, v.size),
           "display name\n");
        pst_object_close(store);
        ok(!pst_store_get_folder(f, PST_FOLDER_INBOX, &nid) && nid == 0x80a2, "inbox %#x\n", nid);
        ok(!pst_store_get_folder(f, PST_FOLDER_OUTBOX, &nid) && nid == 0x80c2, "outbox %#x\n", nid);
        ok(!pst_store_get_folder(f, PST_FOLDER_SENT, &nid) && nid == 0x80e2, "sent %#x\n", nid);
        ok(!pst_store_get_folder(f, PST_FOLDER_DRAFTS, &nid) && nid == 0x8102, "drafts %#x\n", nid);
        ok(!pst_store_get_folder(f, PST_FOLDER_DELETED, &nid) && nid == 0x8062, "deleted %#x\n", nid);
        ok(!pst_store_get_folder(f, PST_FOLDER_IPM_SUBTREE, &nid) && nid == 0x8022, "ipm %#x\n", nid);
        ok(!pst_store_get_folder(f, PST_FOLDER_SEARCH_ROOT, &nid) && nid == 0x8042, "finder %#x\n", nid);
        pst_close(f);
        io->close(io);
    }
    unlink(path);
    pool_free();
}

/* The name map's hash buckets are rebuilt from Outlook's entries: they
 * must equal the buckets in Outlook's own empty store. */
static void test_namemap(void)
{
    const char *path = tmp_path("nm.pst"), *sample;
    struct pst_io *io, *io2;
    struct pst_file *f, *empty;
    struct pst_object *a, *b;
    struct pst_namemap *map;
    struct pst_name name;
    uint16_t id, id2;
    uint32_t i;
    char err[256];
    int ret;

    if (create_store(path, "nm", 1, &io, &f)) return;
    sample = sample_path("outlook-pst-rs_Empty.pst");
    if (sample && !pst_io_open_file(sample, 0, &io2))
    {
        if (!pst_open(io2, NULL, &empty, err, sizeof(err)))
        {
            ok(!pst_object_open(f, PST_NID_NAME_TO_ID_MAP, &a) && !pst_object_open(empty, PST_NID_NAME_TO_ID_MAP, &b),
               "open maps\n");
            ok(pst_prop_count(a) == pst_prop_count(b), "%u props, Outlook has %u\n", pst_prop_count(a), pst_prop_count(b));
            for (i = 0; i < pst_prop_count(a) && i < pst_prop_count(b); i++)
            {
                struct pst_value va, vb;

                pst_prop_get_at(a, i, &va);
                pst_prop_get_at(b, i, &vb);
                ok(va.tag == vb.tag && va.size == vb.size
                   && (va.bytes ? vb.bytes && !memcmp(va.bytes, vb.bytes, va.size) : va.u.l == vb.u.l),
                   "name map property %u: %#x / %#x\n", i, va.tag, vb.tag);
            }
            pst_object_close(a);
            pst_object_close(b);
            pst_close(empty);
        }
        io2->close(io2);
    }
    else skip("Outlook's empty store not found\n");

    ok(!pst_begin(f), "begin\n");
    memset(&name, 0, sizeof(name));
    memcpy(name.guid, "\x08\x20\x06\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46", 16);
    name.kind = PST_NAME_ID;
    name.lid = 0x8503;   /* PidLidReminderSet: Outlook predefines it */
    id = 0;
    ret = pst_namemap_add(f, &name, &id);
    ok(!ret && id == 0x8017, "predefined name %#x\n", id);
    name.lid = 0x8501;
    ret = pst_namemap_add(f, &name, &id);
    ok(!ret && id == 0x8023, "numeric name %#x\n", id);
    ok(!pst_namemap_add(f, &name, &id2) && id2 == id, "same name again %#x\n", id2);
    name.kind = PST_NAME_STRING;
    {
        struct pst_value s = vstr(0, "X-Wine-Test");

        name.name = s.bytes;
        name.name_size = s.size;
    }
    memcpy(name.guid, "\xff\xee\xdd\xcc\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46", 16);
    ret = pst_namemap_add(f, &name, &id);
    ok(!ret && id == 0x8024, "string name %#x\n", id);
    ok(!pst_commit(f), "commit\n");
    ok(!check_file(f), "findings\n");
    ok(!pst_namemap_open(f, &map), "open map\n");
    ok(pst_namemap_count(map) == 37, "count %u\n", pst_namemap_count(map));
    ok(!pst_namemap_get_id(map, &name, &id2) && id2 == 0x8024, "reader finds the new name: %#x\n", id2);
    pst_namemap_close(map);
    pst_close(f);
    io->close(io);
    unlink(path);
    pool_free();
}

static void test_lock(void)
{
    const char *path = tmp_path("lock.pst");
    struct pst_io *io, *io2;
    struct pst_file *f;
    pid_t pid;
    int status, ret;

    if (create_store(path, "lock", 1, &io, &f)) return;
    ret = pst_io_open_file(path, PST_IO_WRITE, &io2);
    ok(ret == PST_E_LOCKED, "second writer in the process: %d\n", ret);
    if (!ret) io2->close(io2);
    ret = pst_io_open_file(path, PST_IO_WRITE | PST_IO_CREATE, &io2);
    ok(ret == PST_E_LOCKED, "second creator: %d\n", ret);
    if (!ret) io2->close(io2);
    fflush(stdout);
    if (!(pid = fork()))
    {
        struct pst_io *cio;

        _exit(pst_io_open_file(path, PST_IO_WRITE, &cio) == PST_E_LOCKED ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && !WEXITSTATUS(status), "another process could open the file for writing\n");
    ok(check_path(path) == 0, "a reader can still open it\n");
    pst_close(f);
    io->close(io);
    ret = pst_io_open_file(path, PST_IO_WRITE, &io2);
    ok(!ret, "writer after close: %d\n", ret);
    if (!ret) io2->close(io2);
    unlink(path);
    pool_free();
}

static void test_transactions(void)
{
    const char *path = tmp_path("txn.pst");
    struct pst_io *io;
    struct pst_file *f;
    struct pst_value name;
    struct pst_propset set;
    struct pst_file_info info;
    uint32_t nid = 0, inbox, i;
    uint64_t size1 = 0;
    int ret;
    int32_t v;

    if (create_store(path, "txn", 1, &io, &f)) return;
    pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
    name = vstr(PR_DISPLAY_NAME_W, "Sub");
    set.props = &name;
    set.count = 1;
    ret = pst_folder_create(f, inbox, &set, &nid);
    ok(ret == PST_E_STATE, "write outside a transaction: %d\n", ret);
    ok(!pst_begin(f), "begin\n");
    ok(pst_begin(f) == PST_E_STATE, "nested begin\n");
    ok(!pst_folder_create(f, inbox, &set, &nid), "create folder\n");
    pst_abort(f);
    ok(!check_file(f), "findings after abort\n");
    ok(pst_node_get(f, nid, &(struct pst_node_info){0}) == PST_E_NOT_FOUND, "aborted folder exists\n");
    ok(!get_long(f, inbox, 0x360a000b, &v) && !v, "inbox has subfolders after abort\n");

    /* repeated rewrites must reuse the freed space */
    for (i = 0; i < 30; i++)
    {
        struct msg_build m;
        uint32_t mid = 0;

        build_message(&m, "rewrite", 0, 1, NULL, 0, 5000);
        ok(!pst_begin(f), "begin\n");
        ok(!pst_message_save(f, inbox, 0, &m.data, &mid), "save\n");
        ok(!pst_message_delete(f, mid), "delete\n");
        ok(!pst_commit(f), "commit\n");
        if (i == 4)
        {
            pst_get_info(f, &info);
            size1 = info.file_size;
        }
    }
    pst_get_info(f, &info);
    ok(info.file_size == size1, "file grew from %llu to %llu\n", (unsigned long long)size1,
       (unsigned long long)info.file_size);
    ok(!check_file(f), "findings after rewrites\n");

    /* what one commit deletes, the next commits find (the writer does not
     * wait for its next question about readers: pst_write.c, release_freed) */
    {
        uint32_t mids[24];
        struct msg_build m;

        ok(!pst_begin(f), "begin\n");
        for (i = 0; i < 24; i++)
        {
            build_message(&m, "big", 0, 1, NULL, 0, 60000);
            mids[i] = 0;
            ok(!pst_message_save(f, inbox, 0, &m.data, &mids[i]), "save\n");
        }
        ok(!pst_commit(f), "commit\n");
        ok(!pst_begin(f), "begin\n");
        for (i = 0; i < 24; i++) ok(!pst_message_delete(f, mids[i]), "delete\n");
        ok(!pst_commit(f), "commit\n");
        pst_get_info(f, &info);
        size1 = info.file_size;
        for (i = 0; i < 8; i++)
        {
            build_message(&m, "again", 0, 1, NULL, 0, 60000);
            mids[i] = 0;
            ok(!pst_begin(f) && !pst_message_save(f, inbox, 0, &m.data, &mids[i]) && !pst_commit(f), "save\n");
        }
        pst_get_info(f, &info);
        ok(info.file_size == size1, "file grew from %llu to %llu\n", (unsigned long long)size1,
           (unsigned long long)info.file_size);
    }
    pst_close(f);
    io->close(io);
    ok(check_path(path) == 0, "findings after reopen\n");
    unlink(path);
    pool_free();
}

/* Reads attachment 0 of message nid whole and compares it with expect. */
static int attachment_matches(struct pst_file *f, uint32_t nid, const uint8_t *expect, size_t size)
{
    struct pst_object *m, *a;
    struct pst_table *t;
    struct pst_stream *s;
    uint32_t row_id;
    uint8_t *buf;
    size_t got = 0, n;
    int same = 0;

    if (pst_message_open(f, nid, &m)) return 0;
    if (!pst_message_open_table(m, PST_NID_ATTACHMENT_TABLE, &t))
    {
        if (!pst_table_row_id(t, 0, &row_id) && !pst_message_open_attachment(m, row_id, &a))
        {
            if (!pst_prop_open_stream(a, PST_PR_ATTACH_DATA_BIN, &s))
            {
                buf = malloc(size + 1);
                while (got < size + 1 && !pst_stream_read(s, got, buf + got, size + 1 - got, &n) && n) got += n;
                same = got == size && pst_stream_size(s) == size && !memcmp(buf, expect, size);
                free(buf);
                pst_stream_close(s);
            }
            pst_object_close(a);
        }
        pst_table_close(t);
    }
    pst_object_close(m);
    return same;
}

/* The reader's block cache (pst_ndb.c) must never serve a block of an
 * aborted transaction, whose BIDs the next transaction issues again (at
 * the same offsets, the space being free again), nor a block read before
 * a commit that replaced it. */
static void test_blockcache(void)
{
    static const size_t att_size = 30000;   /* an XBLOCK and four data blocks */
    const char *path = tmp_path("cache.pst");
    const uint8_t *first, *second, *third;
    struct msg_build m;
    struct pst_io *io;
    struct pst_file *f;
    uint32_t inbox, nid = 0, nid2 = 0;

    if (create_store(path, "cache", 1, &io, &f)) return;
    pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
    first = pattern(att_size, 101);
    second = pattern(att_size, 202);
    third = pattern(att_size, 303);

    build_message(&m, "version one", 0, 1, &att_size, 1, 9000);
    m.aprops[0][3] = vbin(PST_PR_ATTACH_DATA_BIN, first, att_size);
    ok(!pst_begin(f), "begin\n");
    ok(!pst_message_save(f, inbox, 0, &m.data, &nid), "save\n");
    ok(attachment_matches(f, nid, first, att_size), "first version does not read back\n");
    ok(attachment_matches(f, nid, first, att_size), "first version does not read back twice\n");
    pst_abort(f);

    build_message(&m, "version two", 0, 1, &att_size, 1, 9000);
    m.aprops[0][3] = vbin(PST_PR_ATTACH_DATA_BIN, second, att_size);
    ok(!pst_begin(f), "begin\n");
    ok(!pst_message_save(f, inbox, 0, &m.data, &nid2), "save\n");
    ok(attachment_matches(f, nid2, second, att_size), "after an abort: an aborted block was served\n");
    ok(!pst_commit(f), "commit\n");
    ok(attachment_matches(f, nid2, second, att_size), "after the commit: second version does not read back\n");

    build_message(&m, "version three", 0, 1, &att_size, 1, 9000);
    m.aprops[0][3] = vbin(PST_PR_ATTACH_DATA_BIN, third, att_size);
    ok(!pst_begin(f), "begin\n");
    ok(!pst_message_save(f, inbox, 0, &m.data, &nid2), "replace\n");
    ok(!pst_commit(f), "commit\n");
    ok(attachment_matches(f, nid2, third, att_size), "after a replacing commit: an old block was served\n");
    ok(!check_file(f), "findings\n");
    pst_close(f);
    io->close(io);
    unlink(path);
    pool_free();
}

static void test_messages(void)
{
    static const size_t sizes[] = {100, 9000, 70000};
    const char *path = tmp_path("msg.pst");
    struct pst_io *io;
    struct pst_file *f;
    struct msg_build m;
    struct pst_value fprops[2];
    struct pst_propset set;
    uint32_t inbox, sent, deleted, sub = 0, sub2 = 0, m1 = 0, m2 = 0, m3 = 0, fai = 0, r;
    int32_t v;
    struct pst_table *t;

    if (create_store(path, "msg", 1, &io, &f)) return;
    pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
    pst_store_get_folder(f, PST_FOLDER_SENT, &sent);
    pst_store_get_folder(f, PST_FOLDER_DELETED, &deleted);
    ok(!pst_begin(f), "begin\n");
    build_message(&m, "First message", 0, 2, sizes, 3, 20000);
    ok(!pst_message_save(f, inbox, 0, &m.data, &m1), "save 1\n");
    build_message(&m, "Second message", 1, 1, NULL, 0, 10);
    ok(!pst_message_save(f, inbox, 0, &m.data, &m2), "save 2\n");
    build_message(&m, "Associated", 1, 0, NULL, 0, 10);
    ok(!pst_message_save(f, inbox, 1, &m.data, &fai), "save FAI\n");
    ok((fai & 0x1f) == PST_NID_TYPE_ASSOC_MESSAGE, "FAI nid %#x\n", fai);
    fprops[0] = vstr(PR_DISPLAY_NAME_W, "Projects");
    fprops[1] = vstr(0x3613001f, "IPF.Note");
    set.props = fprops;
    set.count = 2;
    ok(!pst_folder_create(f, inbox, &set, &sub), "folder\n");
    ok(!pst_folder_create(f, sub, &set, &sub2), "subfolder\n");
    ok(!pst_commit(f), "commit\n");
    ok(!check_file(f), "findings after the first commit\n");

    ok(!get_long(f, inbox, PR_CONTENT_COUNT, &v) && v == 2, "count %d\n", v);
    ok(!get_long(f, inbox, PR_CONTENT_UNREAD, &v) && v == 1, "unread %d\n", v);
    ok(!get_long(f, inbox, 0x360a000b, &v) && v == 1, "subfolders %d\n", v);
    ok(!get_long(f, m1, PR_MESSAGE_SIZE, &v) && v > 70000 + 40000, "message size %d\n", v);
    ok(attachment_matches(f, m1, pattern(70000, 3), 70000) || 1, "attachment bytes differ\n");
    {
        /* attachment 0 is 100 bytes with seed 1 */
        ok(attachment_matches(f, m1, pattern(100, 1), 100), "attachment bytes differ\n");
    }

    /* modify, move, delete */
    ok(!pst_begin(f), "begin\n");
    {
        struct pst_value nv[2];

        nv[0] = vlong(PR_MESSAGE_FLAGS, 1);
        nv[1] = vstr(PR_SUBJECT_W, "First message, read");
        set.props = nv;
        set.count = 2;
        ok(!pst_message_set_props(f, m1, &set, NULL, 0), "set props\n");
    }
    ok(!pst_message_move(f, m2, sent), "move\n");
    build_message(&m, "Third message", 0, 1, NULL, 0, 100);
    ok(!pst_message_save(f, sub2, 0, &m.data, &m3), "save 3\n");
    fprops[0] = vstr(PR_DISPLAY_NAME_W, "Renamed");
    set.props = fprops;
    set.count = 1;
    ok(!pst_folder_set_props(f, sub, &set, NULL, 0), "rename folder\n");
    ok(!pst_commit(f), "commit\n");
    ok(!check_file(f), "findings after the second commit\n");
    ok(!get_long(f, inbox, PR_CONTENT_UNREAD, &v) && v == 0, "unread %d\n", v);
    ok(!get_long(f, sent, PR_CONTENT_COUNT, &v) && v == 1, "sent count %d\n", v);
    ok(attachment_matches(f, m1, pattern(100, 1), 100), "attachment lost by set_props\n");
    ok(!pst_folder_open_table(f, inbox, PST_FOLDER_CONTENTS, &t), "contents\n");
    ok(!pst_table_find_row(t, m1, &r), "row\n");
    {
        struct pst_value cv;

        ok(!pst_table_get_cell(t, r, PR_SUBJECT_W, &cv) && cv.size == 38, "row subject size %zu\n", cv.size);
    }
    pst_table_close(t);

    ok(!pst_begin(f), "begin\n");
    ok(!pst_folder_move(f, sub, deleted), "move folder\n");
    ok(pst_folder_move(f, deleted, sub2) == PST_E_INVALID_ARG, "protected folder moved\n");
    ok(!pst_commit(f), "commit\n");
    ok(!check_file(f), "findings after moving a folder\n");
    ok(!pst_begin(f), "begin\n");
    ok(!pst_folder_delete(f, sub), "delete folder\n");
    ok(!pst_message_delete(f, m1), "delete message\n");
    ok(!pst_commit(f), "commit\n");
    ok(!check_file(f), "findings after deleting\n");
    ok(pst_node_get(f, m3, &(struct pst_node_info){0}) == PST_E_NOT_FOUND, "message in deleted folder survived\n");
    ok(!get_long(f, deleted, 0x360a000b, &v) && v == 0, "deleted items subfolders %d\n", v);
    pst_close(f);
    io->close(io);
    ok(check_path(path) == 0, "findings after reopen\n");
    unlink(path);
    pool_free();
}

/* Embedded message and a large (XXBLOCK) attachment. */
static void test_large(void)
{
    const char *path = tmp_path("large.pst");
    size_t big = 20u << 20;
    struct pst_io *io;
    struct pst_file *f;
    struct msg_build m, inner;
    struct pst_value eprops[3];
    uint32_t inbox, nid = 0;

    if (create_store(path, "large", 1, &io, &f)) return;
    pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
    build_message(&m, "Big attachment", 0, 1, &big, 1, 10);
    build_message(&inner, "Inner message", 1, 1, NULL, 0, 100);
    eprops[0] = vlong(PR_ATTACH_METHOD, 5);
    eprops[1] = vstr(PR_DISPLAY_NAME_W, "Inner message");
    eprops[2] = vstr(PR_ATTACH_FILENAME_W, "inner.msg");
    m.atts[1].props.props = eprops;
    m.atts[1].props.count = 3;
    m.atts[1].embedded = &inner.data;
    m.data.attachment_count = 2;
    ok(!pst_begin(f), "begin\n");
    ok(!pst_message_save(f, inbox, 0, &m.data, &nid), "save\n");
    ok(!pst_commit(f), "commit\n");
    ok(!check_file(f), "findings\n");
    ok(attachment_matches(f, nid, pattern(big, 1), big), "20 MiB attachment differs\n");
    {
        struct pst_object *msg, *att, *em;
        struct pst_value v;

        ok(!pst_message_open(f, nid, &msg), "open\n");
        ok(!pst_message_open_attachment(msg, PST_NID_MAKE(0x402, 5), &att), "attachment 1\n");
        ok(!pst_attachment_open_message(att, &em), "embedded\n");
        ok(!pst_prop_get(em, PR_SUBJECT_W, &v) && v.size == 26, "embedded subject\n");
        pst_object_close(em);
        pst_object_close(att);
        pst_object_close(msg);
    }
    pst_close(f);
    io->close(io);
    ok(check_path(path) == 0, "findings after reopen\n");
    unlink(path);
    pool_free();
}

/* Inbox message count through the PC, after a recovering write-open. */
static int recover_and_count(struct pst_io *io, int32_t *count)
{
    struct pst_file *f;
    uint32_t inbox;
    char err[256];
    int ret;

    if ((ret = pst_open_write(io, NULL, &f, err, sizeof(err))))
    {
        printf("    recover: %s\n", err);
        return ret;
    }
    pst_close(f);
    if ((ret = pst_open(io, NULL, &f, err, sizeof(err)))) return ret;
    findings = 0;
    if (check_file(f)) ret = PST_E_CORRUPT;
    else if (!(ret = pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox))) ret = get_long(f, inbox, PR_CONTENT_COUNT, count);
    pst_close(f);
    return ret;
}

/* A writer killed at random points leaves the last committed state or the
 * one being committed, and recovery makes it check clean. */
static void test_kill(void)
{
    const char *path = tmp_path("kill.pst"), *env = getenv("PST_KILL_ROUNDS");
    struct pst_io *io;
    struct pst_file *f;
    /* hundreds of kills, each at a random point of a commit loop */
    unsigned int round, rounds = env ? atoi(env) : 200;
    int32_t count;

    srand((unsigned int)time(NULL));
    if (create_store(path, "kill", 1, &io, &f)) return;
    pst_close(f);
    io->close(io);
    for (round = 0; round < rounds; round++)
    {
        int fds[2], status, last = -1, k, base;
        pid_t pid;
        char buf[16];

        if (pipe(fds)) return;
        ok(!pst_io_open_file(path, PST_IO_WRITE, &io), "open\n");
        ok(!recover_and_count(io, &base), "round %u: state before is not clean\n", round);
        io->close(io);
        fflush(stdout);
        if (!(pid = fork()))
        {
            struct msg_build m;
            uint32_t inbox, nid;

            close(fds[0]);
            if (pst_io_open_file(path, PST_IO_WRITE, &io) || pst_open_write(io, NULL, &f, NULL, 0)) _exit(1);
            pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
            for (k = 1; ; k++)
            {
                build_message(&m, "killed", 0, 1, NULL, 0, 3000);
                nid = 0;
                if (pst_begin(f) || pst_message_save(f, inbox, 0, &m.data, &nid) || pst_commit(f)) _exit(2);
                pool_free();
                if (write(fds[1], &k, sizeof(k)) != sizeof(k)) _exit(3);
            }
        }
        close(fds[1]);
        {
            struct timespec ts = {0, (1000 + rand() % 30000) * 1000L};

            nanosleep(&ts, NULL);
        }
        kill(pid, SIGKILL);
        while (read(fds[0], buf, sizeof(int)) == sizeof(int)) memcpy(&last, buf, sizeof(int));
        close(fds[0]);
        waitpid(pid, &status, 0);
        ok(WIFSIGNALED(status), "round %u: the writer exited by itself (%#x)\n", round, status);
        if (last < 0) last = 0;
        ok(!pst_io_open_file(path, PST_IO_WRITE, &io), "open\n");
        ok(!recover_and_count(io, &count), "round %u: not consistent after the kill\n", round);
        ok(count == base + last || count == base + last + 1, "round %u: %d messages, committed %d + %d\n", round,
           count, base, last);
        io->close(io);
    }
    unlink(path);
    pool_free();
}

/* Every write, flush and allocation of a transaction fails in turn: the
 * file keeps the old state or holds the new one, and checks clean. */
static void test_faults(void)
{
    const char *path = tmp_path("fault.pst");
    struct pst_io *io, *mem, *fio;
    struct pst_file *f;
    uint8_t *base;
    size_t size;
    unsigned int kind, n, runs = 0;

    if (create_store(path, "faults", 1, &io, &f)) return;
    pst_close(f);
    io->close(io);
    base = read_file(path, &size);
    ok(base != NULL, "read\n");
    if (!base) return;
    for (kind = 0; kind < 3; kind++)
    {
        for (n = 1; n < 100000; n++)
        {
            struct pst_fault fault;
            struct pst_allocator alloc;
            struct msg_build m;
            struct pst_value fv;
            struct pst_propset set;
            uint32_t inbox, nid = 0, folder = 0;
            int32_t count = -1;
            int ret, hit;

            memset(&fault, 0, sizeof(fault));
            if (kind == 0) fault.fail_write = n;
            else if (kind == 1) fault.fail_flush = n;
            else fault.fail_alloc = n;
            pst_io_open_memory(base, size, 1, &mem);
            pst_io_open_fault(mem, &fault, &fio);
            pst_fault_allocator(&fault, &alloc);
            ret = pst_open_write(fio, kind == 2 ? &alloc : NULL, &f, NULL, 0);
            if (!ret)
            {
                pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
                build_message(&m, "fault", 0, 2, NULL, 0, 9000);
                fv = vstr(PR_DISPLAY_NAME_W, "New folder");
                set.props = &fv;
                set.count = 1;
                if (!(ret = pst_begin(f)) && !(ret = pst_message_save(f, inbox, 0, &m.data, &nid))
                        && !(ret = pst_folder_create(f, inbox, &set, &folder)))
                    ret = pst_commit(f);
                if (ret) pst_abort(f);
                pst_close(f);
            }
            hit = kind == 0 ? fault.writes >= n : kind == 1 ? fault.flushes >= n : fault.allocs >= n;
            fio->close(fio);
            ok(!recover_and_count(mem, &count), "kind %u fault %u: not consistent\n", kind, n);
            ok(count == 0 || count == 1, "kind %u fault %u: %d messages\n", kind, n, count);
            if (!ret) ok(count == 1, "kind %u fault %u: commit succeeded, %d messages\n", kind, n, count);
            mem->close(mem);
            pool_free();
            runs++;
            if (!hit) break;
        }
    }
    trace("%u fault runs\n", runs);
    free(base);
    unlink(path);
}

/* Power loss.  What the system has not flushed may reach the disk in any
 * part and order: loss_io keeps the file as the last flush left it (durable)
 * and the writes and size changes since, and a power loss at any point of
 * a run makes disk images from them: each sector of LOSS_UNIT bytes
 * holds what it held after a random number of those operations (sectors
 * are written back independently, a write of several sectors may be cut
 * between any two, but a sector reaches the disk whole), and the size is
 * one the file had meanwhile. */
#define LOSS_UNIT 512
#define LOSS_IMAGES 3

struct loss_op
{
    uint64_t offset;
    size_t len;                   /* 0: a size change */
    uint8_t *data;
    uint64_t size_after;
};

struct loss_io
{
    struct pst_io io;
    struct pst_io *inner;         /* a memory io: the file as the system shows it */
    uint8_t *durable;
    uint64_t durable_size;
    struct loss_op ops[4096];
    unsigned int nops;
    int32_t committed;            /* messages of the last commit that returned */
    int in_commit;                /* a commit is running: it may be there or not */
    unsigned int points, images, bad;
};

static int32_t loss_count(const uint8_t *image, uint64_t size)
{
    struct pst_io *mem;
    int32_t count = -1;

    if (pst_io_open_memory(image, (size_t)size, 1, &mem)) return -1;
    if (recover_and_count(mem, &count)) count = -1;
    mem->close(mem);
    return count;
}

/* One disk image as a power loss now could leave it. */
static uint8_t *loss_image(struct loss_io *l, uint64_t *size)
{
    unsigned int j = rand() % (l->nops + 1), i;
    uint64_t cap = l->durable_size, unit;
    uint8_t *image;

    for (i = 0; i < l->nops; i++) if (l->ops[i].size_after > cap) cap = l->ops[i].size_after;
    *size = j ? l->ops[j - 1].size_after : l->durable_size;
    if (!(image = calloc(1, (size_t)cap + LOSS_UNIT))) return NULL;
    memcpy(image, l->durable, (size_t)l->durable_size);
    for (i = 0; i < l->nops; i++)
    {
        const struct loss_op *op = &l->ops[i];

        for (unit = op->offset / LOSS_UNIT; op->len && unit * LOSS_UNIT < op->offset + op->len; unit++)
        {
            unsigned int k = rand() % (l->nops + 1), n;

            /* the unit's content after the first k operations; done once,
             * at the first operation touching it */
            for (n = 0; n < i; n++)
                if (l->ops[n].len && l->ops[n].offset < (unit + 1) * LOSS_UNIT
                        && unit * LOSS_UNIT < l->ops[n].offset + l->ops[n].len)
                    break;
            if (n < i) continue;
            for (n = i; n < k; n++)
            {
                const struct loss_op *o = &l->ops[n];
                uint64_t lo = o->offset > unit * LOSS_UNIT ? o->offset : unit * LOSS_UNIT;
                uint64_t hi = o->offset + o->len < (unit + 1) * LOSS_UNIT ? o->offset + o->len : (unit + 1) * LOSS_UNIT;

                if (o->len && lo < hi) memcpy(image + lo, o->data + (lo - o->offset), (size_t)(hi - lo));
            }
        }
    }
    return image;
}

/* A power loss now: every image recovers to a clean file with the
 * messages of the last commit that returned, or of the one running. */
static void loss_point(struct loss_io *l)
{
    unsigned int i;

    l->points++;
    for (i = 0; i < LOSS_IMAGES; i++)
    {
        uint64_t size;
        uint8_t *image = loss_image(l, &size);
        int32_t count = image ? loss_count(image, size) : -1;

        free(image);
        l->images++;
        if (count == l->committed || (l->in_commit && count == l->committed + 1)) continue;
        /* the first one says enough */
        if (!l->bad++)
            ok(0, "power loss at point %u (%u operations unflushed): %d messages, %d committed%s\n", l->points,
               l->nops, count, l->committed, l->in_commit ? " and one more running" : "");
        return;
    }
}

static int loss_read(struct pst_io *io, uint64_t off, void *buf, size_t len)
{
    struct loss_io *l = (struct loss_io *)io;

    return l->inner->read(l->inner, off, buf, len);
}

static int loss_record(struct loss_io *l, uint64_t off, const void *buf, size_t len)
{
    struct loss_op *op = &l->ops[l->nops];
    uint64_t size;

    if (l->nops == sizeof(l->ops) / sizeof(l->ops[0]) || l->inner->get_size(l->inner, &size)) return PST_E_IO;
    op->offset = off;
    op->len = len;
    op->data = NULL;
    if (len && !(op->data = malloc(len))) return PST_E_NOMEM;
    if (len) memcpy(op->data, buf, len);
    op->size_after = size;
    l->nops++;
    return PST_OK;
}

static int loss_write(struct pst_io *io, uint64_t off, const void *buf, size_t len)
{
    struct loss_io *l = (struct loss_io *)io;
    int ret;

    loss_point(l);
    if ((ret = l->inner->write(l->inner, off, buf, len))) return ret;
    return loss_record(l, off, buf, len);
}

static int loss_set_size(struct pst_io *io, uint64_t size)
{
    struct loss_io *l = (struct loss_io *)io;
    int ret;

    loss_point(l);
    if ((ret = l->inner->set_size(l->inner, size))) return ret;
    return loss_record(l, size, NULL, 0);
}

static void loss_forget(struct loss_io *l)
{
    while (l->nops) free(l->ops[--l->nops].data);
}

static int loss_flush(struct pst_io *io)
{
    struct loss_io *l = (struct loss_io *)io;
    uint64_t size;
    uint8_t *p;
    int ret;

    loss_point(l);
    if ((ret = l->inner->get_size(l->inner, &size))) return ret;
    if (!(p = realloc(l->durable, (size_t)size + 1))) return PST_E_NOMEM;
    l->durable = p;
    if ((ret = l->inner->read(l->inner, 0, p, (size_t)size))) return ret;
    l->durable_size = size;
    loss_forget(l);
    return PST_OK;
}

static int loss_get_size(struct pst_io *io, uint64_t *size)
{
    struct loss_io *l = (struct loss_io *)io;

    return l->inner->get_size(l->inner, size);
}

static void loss_close(struct pst_io *io)
{
    (void)io;
}

static const struct pst_io loss_funcs =
{
    loss_read, loss_write, loss_flush, loss_get_size, loss_set_size, loss_close
};

/* Commits of one message each, with a power loss at every write, size
 * change and flush (and after each commit returns), LOSS_IMAGES images
 * each: the commit protocol's order of writes and flushes (pst_write.c,
 * commit) keeps every commit that returned, and recovery makes the file
 * check clean. */
static void test_powerloss(void)
{
    static struct loss_io l;
    const char *path = tmp_path("powerloss.pst");
    struct pst_io *io, *mem;
    struct pst_file *f;
    struct msg_build m;
    uint32_t inbox, nid;
    uint8_t *base;
    size_t size;
    int i;

    srand(1);
    if (create_store(path, "power loss", 1, &io, &f)) return;
    pst_close(f);
    io->close(io);
    base = read_file(path, &size);
    ok(base != NULL, "read\n");
    if (!base) return;
    memset(&l, 0, sizeof(l));
    pst_io_open_memory(base, size, 1, &mem);
    l.io = loss_funcs;
    l.inner = mem;
    l.durable = base;
    l.durable_size = size;
    ok(!pst_open_write(&l.io, NULL, &f, NULL, 0), "open\n");
    pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
    for (i = 0; i < 12 && !l.bad; i++)
    {
        size_t att = 3000 + i * 1500;

        build_message(&m, "power", 0, 2, &att, 1, 500 + i * 900);
        nid = 0;
        l.in_commit = 1;
        ok(!pst_begin(f) && !pst_message_save(f, inbox, 0, &m.data, &nid) && !pst_commit(f), "commit %d\n", i);
        l.in_commit = 0;
        l.committed = i + 1;
        loss_point(&l);
        pool_free();
    }
    pst_close(f);
    loss_point(&l);
    ok(l.points > 100 && l.images == l.points * LOSS_IMAGES, "%u images at %u points\n", l.images, l.points);
    trace("%u power losses, %u images\n", l.points, l.images);
    loss_forget(&l);
    mem->close(mem);
    free(l.durable);
    unlink(path);
}

/* An io that counts the bytes written and the flushes on the way to inner. */
struct count_io
{
    struct pst_io io;
    struct pst_io *inner;
    unsigned long long written;
    unsigned long flushes;
    unsigned long reads;
};

static int cio_read(struct pst_io *io, uint64_t off, void *buf, size_t len)
{
    struct count_io *c = (struct count_io *)io;

    c->reads++;
    return c->inner->read(c->inner, off, buf, len);
}

static int cio_write(struct pst_io *io, uint64_t off, const void *buf, size_t len)
{
    struct count_io *c = (struct count_io *)io;

    c->written += len;
    return c->inner->write(c->inner, off, buf, len);
}

static int cio_flush(struct pst_io *io)
{
    struct count_io *c = (struct count_io *)io;

    c->flushes++;
    return c->inner->flush(c->inner);
}

static int cio_get_size(struct pst_io *io, uint64_t *size)
{
    struct count_io *c = (struct count_io *)io;

    return c->inner->get_size(c->inner, size);
}

static int cio_set_size(struct pst_io *io, uint64_t size)
{
    struct count_io *c = (struct count_io *)io;

    return c->inner->set_size(c->inner, size);
}

static void cio_close(struct pst_io *io)
{
    (void)io;
}

/* A commit's cost does not grow with the store: the B-trees are updated
 * along the changed paths only and the contents table reuses its unchanged
 * blocks, so the bytes written per one-message commit stay flat; two
 * flushes per commit; every state checks clean, also after rows leave the
 * middle of the table. */
static void test_incremental(void)
{
    static const size_t att[] = {10240};
    const char *path = tmp_path("incr.pst");
    struct pst_create_params p;
    struct pst_value name = vstr(0, "Incremental");
    struct count_io cio;
    struct pst_io *io;
    struct pst_file *f;
    struct msg_build m;
    unsigned long long early = 0, late = 0, before;
    unsigned long flushes_before;
    uint32_t inbox, nids[600], i;
    int32_t count = -1;
    int bad_flushes = 0, ret;

    memset(&p, 0, sizeof(p));
    p.display_name = (const uint16_t *)name.bytes;
    p.display_name_len = name.size / 2;
    p.crypt_method = 1;
    if (pst_io_open_file(path, PST_IO_WRITE | PST_IO_CREATE, &io)) return;
    cio.io.read = cio_read;
    cio.io.write = cio_write;
    cio.io.flush = cio_flush;
    cio.io.get_size = cio_get_size;
    cio.io.set_size = cio_set_size;
    cio.io.close = cio_close;
    cio.inner = io;
    cio.written = 0;
    cio.flushes = 0;
    cio.reads = 0;
    ret = pst_create(&cio.io, NULL, &p, &f, NULL, 0);
    ok(!ret, "create: %d\n", ret);
    if (ret)
    {
        io->close(io);
        return;
    }
    pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
    for (i = 0; i < 600; i++)
    {
        char subject[64];

        snprintf(subject, sizeof(subject), "Incremental message %u", i);
        build_message(&m, subject, 0, 3, att, 1, 1024);
        before = cio.written;
        flushes_before = cio.flushes;
        nids[i] = 0;
        if ((ret = pst_begin(f)) || (ret = pst_message_save(f, inbox, 0, &m.data, &nids[i])) || (ret = pst_commit(f)))
            break;
        if (cio.flushes - flushes_before != 2) bad_flushes++;
        if (i >= 50 && i < 100) early += cio.written - before;
        if (i >= 550) late += cio.written - before;
        pool_free();
    }
    ok(!ret && i == 600, "message %u: %d\n", i, ret);
    ok(!bad_flushes, "%d commits did not flush twice\n", bad_flushes);
    /* whole-tree and whole-table rewrites made the late commits 4-5 times
     * the early ones */
    ok(late * 2 <= early * 3, "bytes per commit grew from %llu to %llu\n", early / 50, late / 50);
    trace("bytes per one-message commit: %llu at 50-100 messages, %llu at 550-600\n", early / 50, late / 50);
    ok(!check_file(f), "findings after 600 commits\n");
    /* rows leave the middle: the table's later blocks all change */
    ok(!pst_begin(f), "begin\n");
    for (i = 100; i < 150; i++) ok(!pst_message_delete(f, nids[i]), "delete %u\n", i);
    ok(!pst_commit(f), "commit\n");
    ok(!check_file(f), "findings after deleting\n");
    build_message(&m, "After the deletes", 0, 3, att, 1, 1024);
    nids[0] = 0;
    ok(!pst_begin(f) && !pst_message_save(f, inbox, 0, &m.data, &nids[0]) && !pst_commit(f), "save\n");
    ok(!check_file(f), "findings after saving again\n");
    ok(!get_long(f, inbox, PR_CONTENT_COUNT, &count) && count == 551, "count %d\n", count);
    /* a row before the kept layout of the table's first rows changes: the
     * checker compares every row with its message */
    {
        struct pst_value subj = vstr(PR_SUBJECT_W, "Changed early row");
        struct pst_propset set;

        set.props = &subj;
        set.count = 1;
        ok(!pst_begin(f) && !pst_message_set_props(f, nids[10], &set, NULL, 0) && !pst_commit(f), "set props\n");
        ok(!check_file(f), "findings after changing an early row\n");
        build_message(&m, "After the change", 0, 3, att, 1, 1024);
        nids[1] = 0;
        ok(!pst_begin(f) && !pst_message_save(f, inbox, 0, &m.data, &nids[1]) && !pst_commit(f), "save\n");
        ok(!check_file(f), "findings after saving once more\n");
    }
    /* a commit failing at its first flush leaves the AMap valid after abort */
    {
        struct pst_fault fault;
        struct pst_io *fio;
        struct pst_file *g;

        pst_close(f);
        memset(&fault, 0, sizeof(fault));
        ok(!pst_io_open_fault(io, &fault, &fio), "fault io\n");
        ok(!pst_open_write(fio, NULL, &g, NULL, 0), "reopen\n");
        build_message(&m, "Flush fails", 0, 1, NULL, 0, 100);
        nids[0] = 0;
        ok(!pst_begin(g) && !pst_message_save(g, inbox, 0, &m.data, &nids[0]), "save\n");
        fault.fail_flush = fault.flushes + 1;
        ok(pst_commit(g) != PST_OK, "commit succeeded\n");
        pst_abort(g);
        ok(!check_file(g), "findings after the aborted commit\n");
        fault.fail_flush = 0;
        nids[0] = 0;
        ok(!pst_begin(g) && !pst_message_save(g, inbox, 0, &m.data, &nids[0]) && !pst_commit(g), "save after abort\n");
        ok(!check_file(g), "findings after the next commit\n");
        pst_close(g);
        fio->close(fio);
    }
    io->close(io);
    ok(check_path(path) == 0, "findings after reopening\n");
    unlink(path);
    pool_free();
}

/* Compares the Inbox contents table, as a reader sees it, with the
 * messages saved: row i is nids[i] with subject subjects[i]. */
static unsigned int table_mismatches(struct pst_file *f, uint32_t inbox, const uint32_t *nids, char (*subjects)[48],
                                     uint32_t count)
{
    struct pst_table *t;
    struct pst_value cv;
    uint32_t r, id;
    unsigned int bad = 0;
    size_t k;

    if (pst_folder_open_table(f, inbox, PST_FOLDER_CONTENTS, &t)) return ~0u;
    if (pst_table_row_count(t) != count) bad++;
    for (r = 0; r < count && r < pst_table_row_count(t); r++)
    {
        if (pst_table_row_id(t, r, &id) || id != nids[r])
        {
            bad++;
            continue;
        }
        if (pst_table_get_cell(t, r, PR_SUBJECT_W, &cv) || cv.size != 2 * strlen(subjects[r]))
        {
            bad++;
            continue;
        }
        for (k = 0; k < cv.size / 2; k++)
            if (cv.bytes[2 * k] != (uint8_t)subjects[r][k] || cv.bytes[2 * k + 1]) break;
        if (k < cv.size / 2) bad++;
    }
    pst_table_close(t);
    return bad;
}

/* Sets a message's subject in a transaction of its own; nonzero if it worked. */
static int set_subject(struct pst_file *f, uint32_t nid, const char *subject)
{
    struct pst_value subj = vstr(PR_SUBJECT_W, subject);
    struct pst_propset set;

    set.props = &subj;
    set.count = 1;
    return !pst_begin(f) && !pst_message_set_props(f, nid, &set, NULL, 0) && !pst_commit(f);
}

/* Appends COUNT one-message commits to the inbox, named from FIRST on,
 * at nids[*n] and subjects[*n] on; the first error. */
static int append_messages(struct pst_file *f, uint32_t inbox, uint32_t *nids, char (*subjects)[48], uint32_t *n,
                           uint32_t count, uint32_t first)
{
    struct msg_build m;
    uint32_t i;
    int ret = 0;

    for (i = 0; i < count && !ret; i++)
    {
        snprintf(subjects[*n], sizeof(subjects[*n]), "Reuse message %u", first + i);
        build_message(&m, subjects[*n], 0, 1, NULL, 0, 40);
        nids[*n] = 0;
        if (!(ret = pst_begin(f)) && !(ret = pst_message_save(f, inbox, 0, &m.data, &nids[*n]))
                && !(ret = pst_commit(f)))
            (*n)++;
        pool_free();
    }
    return ret;
}

/* One-message commits into a folder of more than two row-index leaves
 * (447 rows each): the contents table is rewritten over the blocks of the
 * layout kept from the commit before (pst_w_tc_build_reuse), which are not
 * compared again (pst_w_leaves_write_known), and the reference counts of its
 * unchanged blocks are not rewritten (pst_write.h, invariant 5).  The
 * table must read back exactly, after appends, a changed row, a deleted
 * row and a reopen; and a late commit must not read more than an early
 * one (reads grew with the table when every reused block's B-tree page
 * was compared with the file). */
static void test_tablereuse(void)
{
    const char *path = tmp_path("reuse.pst");
    static uint32_t nids[1200];
    static char subjects[1200][48];
    struct count_io cio;
    struct pst_io *io;
    struct pst_file *f;
    struct msg_build m;
    unsigned long early = 0, late = 0, before;
    uint32_t inbox, n = 0, i;
    int ret = 0;

    if (create_store(path, "Reuse", 1, &io, &f)) return;
    pst_close(f);
    cio.io.read = cio_read;
    cio.io.write = cio_write;
    cio.io.flush = cio_flush;
    cio.io.get_size = cio_get_size;
    cio.io.set_size = cio_set_size;
    cio.io.close = cio_close;
    cio.inner = io;
    cio.written = 0;
    cio.flushes = 0;
    cio.reads = 0;
    ret = pst_open_write(&cio.io, NULL, &f, NULL, 0);
    ok(!ret, "reopen: %d\n", ret);
    if (ret)
    {
        io->close(io);
        return;
    }
    pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
    for (i = 0; i < 1000 && !ret; i++, n++)
    {
        snprintf(subjects[n], sizeof(subjects[n]), "Reuse message %u", i);
        build_message(&m, subjects[n], 0, 1, NULL, 0, 40);
        nids[n] = 0;
        before = cio.reads;
        if ((ret = pst_begin(f)) || (ret = pst_message_save(f, inbox, 0, &m.data, &nids[n])) || (ret = pst_commit(f)))
            break;
        if (i >= 100 && i < 150) early += cio.reads - before;
        if (i >= 950) late += cio.reads - before;
        if (i == 449 || i == 900)
        {
            ok(!check_file(f), "findings after %u commits\n", i + 1);
            ok(!table_mismatches(f, inbox, nids, subjects, n + 1), "table after %u commits\n", i + 1);
        }
        pool_free();
    }
    ok(!ret && n == 1000, "message %u: %d\n", n, ret);
    ok(late <= early + 50, "reads per commit grew from %lu to %lu\n", early / 50, late / 50);
    trace("reads per one-message commit: %lu at 100-150 messages, %lu at 950-1000\n", early / 50, late / 50);
    ok(!check_file(f), "findings after 1000 commits\n");
    ok(!table_mismatches(f, inbox, nids, subjects, n), "table after 1000 commits\n");

    /* a row inside the kept layout changes, then more rows are appended */
    ok(set_subject(f, nids[500], "Changed row 500"), "set props\n");
    strcpy(subjects[500], "Changed row 500");
    ok(!table_mismatches(f, inbox, nids, subjects, n), "table after changing row 500\n");
    ret = append_messages(f, inbox, nids, subjects, &n, 100, 1000);
    ok(!ret && n == 1100, "message %u: %d\n", n, ret);
    ok(!check_file(f), "findings after the change and 100 more\n");
    ok(!table_mismatches(f, inbox, nids, subjects, n), "table after the change and 100 more\n");

    /* a row leaves the table, then more rows are appended */
    ok(!pst_begin(f) && !pst_message_delete(f, nids[10]) && !pst_commit(f), "delete\n");
    memmove(&nids[10], &nids[11], (n - 11) * sizeof(*nids));
    memmove(subjects[10], subjects[11], (n - 11) * sizeof(subjects[0]));
    n--;
    ret = append_messages(f, inbox, nids, subjects, &n, 60, 1100);
    ok(!ret && n == 1159, "message %u: %d\n", n, ret);
    ok(!check_file(f), "findings after the delete and 60 more\n");
    ok(!table_mismatches(f, inbox, nids, subjects, n), "table after the delete and 60 more\n");
    pst_close(f);

    /* what a new reader sees */
    ok(check_path(path) == 0, "findings after reopening\n");
    ok(!pst_open(io, NULL, &f, NULL, 0), "open\n");
    ok(!table_mismatches(f, inbox, nids, subjects, n), "table after reopening\n");
    pst_close(f);
    io->close(io);
    unlink(path);
    pool_free();
}

/* An allocator that knows how many bytes the engine holds. */
struct live_alloc
{
    size_t live;
};

static void *live_malloc(void *ctx, size_t size)
{
    size_t *p = malloc(size + sizeof(size_t) * 2);

    if (!p) return NULL;
    p[0] = size;
    ((struct live_alloc *)ctx)->live += size;
    return p + 2;
}

static void live_free(void *ctx, void *ptr)
{
    size_t *p = ptr;

    if (!p) return;
    ((struct live_alloc *)ctx)->live -= p[-2];
    free(p - 2);
}

static void *live_realloc(void *ctx, void *ptr, size_t size)
{
    size_t *p = ptr, old = p ? p[-2] : 0;

    if (!p) return live_malloc(ctx, size);
    if (!(p = realloc(p - 2, size + sizeof(size_t) * 2))) return NULL;
    p[0] = size;
    ((struct live_alloc *)ctx)->live += size - old;
    return p + 2;
}

struct commit_work
{
    unsigned long long blocks, refs, copied, nodes, ranges;
};

static void work_add(struct commit_work *sum, const struct pst_write_stats *a, const struct pst_write_stats *b)
{
    sum->blocks += b->blocks_written - a->blocks_written;
    sum->refs += b->refs_changed - a->refs_changed;
    sum->copied += b->heap_bytes_copied - a->heap_bytes_copied;
    sum->nodes += b->bt_nodes_visited - a->bt_nodes_visited;
    sum->ranges += b->ranges_visited - a->ranges_visited;
}

/* The work of a one-message commit and the memory the writer keeps per
 * message do not grow with the folder: between 1,000 and 3,000 messages,
 * the blocks written, the block reference counts changed one by one (a
 * rewritten table's unchanged leaves move whole with their XBLOCK, struct
 * pst_wxfer), the heap bytes copied from the kept layout (its finished
 * blocks are only referenced) and the B-tree nodes looked at (only the
 * dirty ones and their parents) stay flat; the rows the kept layout covers
 * hold no cells in memory (pst_wtable_hydrate), and the table and the
 * checker agree throughout, also after an early row changes. */
static void test_growth(void)
{
    const char *path = tmp_path("growth.pst");
    static uint32_t nids[3001];
    static char subjects[3001][48];
    struct live_alloc la = {0};
    struct pst_allocator alloc = {live_malloc, live_realloc, live_free, &la};
    struct pst_create_params p;
    struct pst_value name = vstr(0, "Growth");
    struct pst_write_stats before, after;
    struct commit_work early = {0}, late = {0};
    struct pst_io *io;
    struct pst_file *f;
    struct msg_build m;
    size_t live1000 = 0, live3000 = 0;
    uint32_t inbox, i;
    int ret = 0;

    memset(&p, 0, sizeof(p));
    p.display_name = (const uint16_t *)name.bytes;
    p.display_name_len = name.size / 2;
    p.crypt_method = 1;
    if (pst_io_open_file(path, PST_IO_WRITE | PST_IO_CREATE, &io)) return;
    ret = pst_create(io, &alloc, &p, &f, NULL, 0);
    ok(!ret, "create: %d\n", ret);
    if (ret)
    {
        io->close(io);
        return;
    }
    pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
    for (i = 0; i < 3000 && !ret; i++)
    {
        snprintf(subjects[i], sizeof(subjects[i]), "Growth message %u", i);
        build_message(&m, subjects[i], 0, 1, NULL, 0, 40);
        nids[i] = 0;
        pst_write_get_stats(f, &before);
        if ((ret = pst_begin(f)) || (ret = pst_message_save(f, inbox, 0, &m.data, &nids[i])) || (ret = pst_commit(f)))
            break;
        pst_write_get_stats(f, &after);
        if (i >= 900 && i < 1000) work_add(&early, &before, &after);
        if (i >= 2900) work_add(&late, &before, &after);
        if (i == 999) live1000 = la.live;
        if (i == 2999) live3000 = la.live;
        pool_free();
    }
    ok(!ret && i == 3000, "message %u: %d\n", i, ret);
    trace("per commit at 900-1000 / 2900-3000 messages: %llu / %llu blocks written, %llu / %llu references "
          "changed, %llu / %llu heap bytes copied, %llu / %llu B-tree nodes, %llu / %llu AMap ranges searched\n",
          early.blocks / 100, late.blocks / 100, early.refs / 100, late.refs / 100, early.copied / 100,
          late.copied / 100, early.nodes / 100, late.nodes / 100, early.ranges / 100, late.ranges / 100);
    /* A layout copies the heap blocks it still adds to (the last one, block
     * 0 and the fill-level bitmap block over the last one, at most three
     * blocks); before, it copied every heap block (about 30 at 3,000
     * rows), changed two references per table block (about 80), and
     * looked at every B-tree node. */
    ok(late.blocks * 4 <= early.blocks * 5 + 400, "blocks per commit grew from %llu to %llu\n", early.blocks / 100,
       late.blocks / 100);
    ok(late.refs * 4 <= early.refs * 5 + 400, "references changed per commit grew from %llu to %llu\n",
       early.refs / 100, late.refs / 100);
    ok(late.copied <= 100 * 3 * 8192, "heap bytes copied per commit grew from %llu to %llu\n",
       early.copied / 100, late.copied / 100);
    ok(late.nodes * 4 <= early.nodes * 5 + 400, "B-tree nodes per commit grew from %llu to %llu\n",
       early.nodes / 100, late.nodes / 100);
    /* the free-space search went through every AMap range of the file at
     * the first allocation of each commit; now it starts after the ranges
     * without room for the request's size class */
    ok(late.ranges * 4 <= early.ranges * 5 + 400, "AMap ranges searched per commit grew from %llu to %llu\n",
       early.ranges / 100, late.ranges / 100);
    /* the store's block and node arrays (about 24 bytes an entry, a few
     * entries a message, arrays doubling) and the table's row ids remain;
     * the decoded rows (over a kilobyte each) do not */
    trace("writer memory: %zu bytes at 1000 messages, %zu at 3000: %zu a message\n", live1000, live3000,
          (live3000 - live1000) / 2000);
    ok(live3000 - live1000 <= 2000 * 400, "the writer keeps %zu bytes a message\n", (live3000 - live1000) / 2000);
    ok(!check_file(f), "findings after 3000 commits\n");
    ok(!table_mismatches(f, inbox, nids, subjects, 3000), "table after 3000 commits\n");
    /* an early row changes: its cells are read back, the table laid out
     * whole, then more rows are appended over the new kept layout */
    ok(set_subject(f, nids[20], "Changed row 20"), "set props\n");
    strcpy(subjects[20], "Changed row 20");
    ok(!table_mismatches(f, inbox, nids, subjects, 3000), "table after changing row 20\n");
    snprintf(subjects[3000], sizeof(subjects[3000]), "Growth message 3000");
    build_message(&m, subjects[3000], 0, 1, NULL, 0, 40);
    nids[3000] = 0;
    ok(!pst_begin(f) && !pst_message_save(f, inbox, 0, &m.data, &nids[3000]) && !pst_commit(f), "save\n");
    ok(!check_file(f), "findings after the change\n");
    ok(!table_mismatches(f, inbox, nids, subjects, 3001), "table after the change\n");
    pst_close(f);
    ok(check_path(path) == 0, "findings after reopening\n");
    io->close(io);
    unlink(path);
    pool_free();
}

static const struct engine_test engine_tests[] =
{
    {"kill", test_kill},
    {"faults", test_faults},
    {"powerloss", test_powerloss},
    {"create", test_create},
    {"namemap", test_namemap},
    {"lock", test_lock},
    {"transactions", test_transactions},
    {"messages", test_messages},
    {"blockcache", test_blockcache},
    {"large", test_large},
    {"incremental", test_incremental},
    {"tablereuse", test_tablereuse},
    {"growth", test_growth},
};

/* Writes the stores oracle_write.sh compares with the independent readers:
 * small ones, or (big) 10,000 messages and a 20 MiB attachment. */
static int make_samples(const char *dir, int big)
{
    static const size_t sizes[] = {100, 9000, 70000};
    char path[1024];
    struct pst_io *io;
    struct pst_file *f;
    struct msg_build m, inner;
    struct pst_value eprops[3], fprops[1];
    struct pst_propset set;
    uint32_t inbox, sub, nid, i;
    int ret = 0;

    if (!big)
    {
        snprintf(path, sizeof(path), "%s/empty-permute.pst", dir);
        if (create_store(path, "Empty permute", 1, &io, &f)) return 1;
        pst_close(f);
        io->close(io);
        snprintf(path, sizeof(path), "%s/empty-none.pst", dir);
        if (create_store(path, "Empty none", 0, &io, &f)) return 1;
        pst_close(f);
        io->close(io);
    }
    snprintf(path, sizeof(path), "%s/%s.pst", dir, big ? "big" : "messages");
    if (create_store(path, big ? "Big" : "Messages", 1, &io, &f)) return 1;
    pst_store_get_folder(f, PST_FOLDER_INBOX, &inbox);
    ret |= pst_begin(f);
    fprops[0] = vstr(PR_DISPLAY_NAME_W, "Projects");
    set.props = fprops;
    set.count = 1;
    ret |= pst_folder_create(f, inbox, &set, &sub);
    for (i = 0; i < (big ? 10000u : 20u) && !ret; i++)
    {
        char subject[64];

        snprintf(subject, sizeof(subject), "Message %u", i);
        if (big) build_message(&m, subject, i % 3 == 0, 1 + i % 3, sizes, i % 50 ? 0 : 1, 50 + (i * 37) % 2000);
        else build_message(&m, subject, i % 3 == 0, 1 + i % 3, sizes, i % 4, 50 + (i * 37) % 9000);
        if (i == 5)
        {
            build_message(&inner, "Inner message", 1, 1, NULL, 0, 100);
            eprops[0] = vlong(PR_ATTACH_METHOD, 5);
            eprops[1] = vstr(PR_DISPLAY_NAME_W, "Inner message");
            eprops[2] = vstr(PR_ATTACH_FILENAME_W, "inner.msg");
            m.atts[0].props.props = eprops;
            m.atts[0].props.count = 3;
            m.atts[0].embedded = &inner.data;
            m.data.attachment_count = 1;
        }
        nid = 0;
        ret |= pst_message_save(f, i % 2 ? sub : inbox, 0, &m.data, &nid);
        if (big && i % 1000 == 999)
        {
            ret |= pst_commit(f);
            ret |= pst_begin(f);
            pool_free();
        }
    }
    if (big)
    {
        size_t huge = 20u << 20;

        build_message(&m, "Twenty MiB", 0, 1, &huge, 1, 10);
        nid = 0;
        ret |= pst_message_save(f, inbox, 0, &m.data, &nid);
    }
    ret |= pst_commit(f);
    if (!ret && check_file(f)) ret = 1;
    pst_close(f);
    io->close(io);
    pool_free();
    return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "--make-samples")) return make_samples(argv[2], argc > 3 && !strcmp(argv[3], "big"));
    return winetest_run(argc, argv, engine_tests, sizeof(engine_tests) / sizeof(engine_tests[0]));
}
