/*
 * Native benchmark of the PST engine alone (no COM, no Wine).
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This is not a test: it prints figures, one "key value" line each, and
 * tools/bench.sh puts them into its table next to their baselines.  Every
 * figure is measured together with its baseline in the same process, so
 * that their ratio holds on a noisy machine.  Times are milliseconds.
 *
 * Usage:
 *   bench_engine cycles FILE.pst N      open + store PC + close, N times;
 *                                       baseline: open, read the 564-byte
 *                                       header, close (POSIX)
 *   bench_engine folder FILE.pst REPS   the folder with the most messages:
 *                                       open its contents table, sort by
 *                                       delivery time descending, read 8
 *                                       columns of the first 50 rows; and a
 *                                       subject substring scan of all rows.
 *                                       Baselines: qsort of the same keys in
 *                                       memory; the same substring scan
 *                                       over subjects held in memory.
 *   bench_engine readall FILE.pst       every message's subject, sender
 *                                       and size, opening each message;
 *                                       baseline: reading the whole file
 *                                       sequentially
 *   bench_engine teardown FILE.pst N    open N message objects, hold them,
 *                                       then close them all and the file
 *   bench_engine ingest FILE.pst N [B]  create FILE.pst and save N messages
 *                                       (subject, 2 KB body, 3 recipients,
 *                                       one 10 KB attachment) into the
 *                                       Inbox, committing after every B
 *                                       messages (default 1; "both" runs
 *                                       B = 1 and B = 100, FILE.pst then
 *                                       FILE.pst.b100).  Baseline: write()
 *                                       the same content bytes to a plain
 *                                       file with one fsync per commit (run
 *                                       before and after; the mean counts).
 * Every mode ends with "maxrss_kb" (getrusage ru_maxrss).
 */

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "pst.h"

#define TAG_MESSAGE_CLASS_W        0x001a001f
#define TAG_IMPORTANCE             0x00170003
#define TAG_SUBJECT_W              0x0037001f
#define TAG_SENT_REPRESENTING_W    0x0042001f
#define TAG_DISPLAY_TO_W           0x0e04001f
#define TAG_MESSAGE_DELIVERY_TIME  0x0e060040
#define TAG_MESSAGE_FLAGS          0x0e070003
#define TAG_MESSAGE_SIZE           0x0e080003
#define TAG_SENDER_NAME_W          0x0c1a001f
#define TAG_CONTENT_COUNT          0x36020003

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* p-th percentile (0..100) of n samples; sorts them */
static double percentile(double *v, size_t n, double p)
{
    size_t i;

    qsort(v, n, sizeof(*v), cmp_double);
    i = (size_t)(p / 100.0 * (n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static void die(const char *what, int err)
{
    fprintf(stderr, "bench_engine: %s: %s\n", what, pst_strerror(err));
    exit(1);
}

static void print_maxrss(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    printf("maxrss_kb %ld\n", ru.ru_maxrss);
}

static struct pst_file *open_pst(const char *path, struct pst_io **io)
{
    struct pst_file *file;
    char msg[256];
    int ret;

    if ((ret = pst_io_open_file(path, 0, io))) die(path, ret);
    if ((ret = pst_open(*io, NULL, &file, msg, sizeof(msg))))
    {
        fprintf(stderr, "bench_engine: %s: %s\n", path, msg);
        exit(1);
    }
    return file;
}

static void close_pst(struct pst_file *file, struct pst_io *io)
{
    pst_close(file);
    io->close(io);
}

/* ------------------------------------------------------------- cycles -- */

static int bench_cycles(const char *path, int n)
{
    double *engine = malloc(n * sizeof(double)), *base = malloc(n * sizeof(double));
    unsigned char header[564];
    struct pst_object *store;
    struct pst_file *file;
    struct pst_io *io;
    int i, fd, ret;

    for (i = -n / 10 - 1; i < n; i++)   /* the first tenth warms up */
    {
        double t0 = now_ms();

        file = open_pst(path, &io);
        if ((ret = pst_store_open(file, &store))) die("pst_store_open", ret);
        pst_object_close(store);
        close_pst(file, io);
        if (i >= 0) engine[i] = now_ms() - t0;

        t0 = now_ms();
        if ((fd = open(path, O_RDONLY)) < 0 || read(fd, header, sizeof(header)) != sizeof(header))
        {
            perror(path);
            return 1;
        }
        close(fd);
        if (i >= 0) base[i] = now_ms() - t0;
    }
    printf("cycles %d\n", n);
    printf("engine_open_median_ms %.4f\n", percentile(engine, n, 50));
    printf("engine_open_p90_ms %.4f\n", percentile(engine, n, 90));
    printf("posix_header_median_ms %.4f\n", percentile(base, n, 50));
    printf("posix_header_p90_ms %.4f\n", percentile(base, n, 90));
    free(engine);
    free(base);
    return 0;
}

/* ------------------------------------------------------------- folder -- */

struct biggest
{
    uint32_t nid;
    int32_t count;
};

/* depth-first over hierarchy tables; remembers the folder with most messages */
static void find_biggest(struct pst_file *file, uint32_t nid, struct biggest *best, int depth)
{
    struct pst_table *table;
    struct pst_value v;
    uint32_t row, rows, child;

    if (depth > 32 || pst_folder_open_table(file, nid, PST_FOLDER_HIERARCHY, &table)) return;
    rows = pst_table_row_count(table);
    for (row = 0; row < rows; row++)
    {
        if (pst_table_row_id(table, row, &child)) continue;
        if (!pst_table_get_cell(table, row, TAG_CONTENT_COUNT, &v) && v.u.l > best->count)
        {
            best->count = v.u.l;
            best->nid = child;
        }
        if (child != nid) find_biggest(file, child, best, depth + 1);
    }
    pst_table_close(table);
}

struct sort_key
{
    int64_t time;
    uint32_t row;
};

static int cmp_key_desc(const void *a, const void *b)
{
    const struct sort_key *x = a, *y = b;

    if (x->time != y->time) return x->time < y->time ? 1 : -1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* UTF-16LE substring search over stored bytes (case-sensitive) */
static int utf16_contains(const uint8_t *hay, size_t hay_size, const uint8_t *needle, size_t needle_size)
{
    size_t i;

    if (needle_size > hay_size) return 0;
    for (i = 0; i + needle_size <= hay_size; i += 2)
        if (hay[i] == needle[0] && !memcmp(hay + i, needle, needle_size)) return 1;
    return 0;
}

static const uint32_t columns[] =
{
    TAG_SUBJECT_W, TAG_SENT_REPRESENTING_W, TAG_MESSAGE_DELIVERY_TIME, TAG_MESSAGE_SIZE,
    TAG_MESSAGE_FLAGS, TAG_MESSAGE_CLASS_W, TAG_DISPLAY_TO_W
};

static int bench_folder(const char *path, int reps)
{
    static const char needle_a[] = "Wine #1234";
    double *t_sort = malloc(reps * sizeof(double)), *t_sort_base = malloc(reps * sizeof(double));
    double *t_restrict = malloc(reps * sizeof(double)), *t_restrict_base = malloc(reps * sizeof(double));
    struct biggest best = { 0, -1 };
    uint8_t needle[2 * sizeof(needle_a)];
    size_t needle_size = 0, i;
    struct sort_key *keys, *copy;
    uint8_t **subjects;
    size_t *subject_sizes;
    struct pst_table *table;
    struct pst_file *file;
    struct pst_value v;
    struct pst_io *io;
    uint32_t rows = 0, row, id, matches = 0, base_matches;
    long checksum = 0;
    int r, c, ret;

    for (i = 0; needle_a[i]; i++)
    {
        needle[needle_size++] = needle_a[i];
        needle[needle_size++] = 0;
    }

    file = open_pst(path, &io);
    find_biggest(file, PST_NID_ROOT_FOLDER, &best, 0);
    if (!best.nid)
    {
        fprintf(stderr, "bench_engine: %s has no messages\n", path);
        return 1;
    }

    for (r = 0; r < reps; r++)
    {
        double t0 = now_ms();

        /* SetColumns + SortTable + QueryRows(50) */
        if ((ret = pst_folder_open_table(file, best.nid, PST_FOLDER_CONTENTS, &table))) die("contents table", ret);
        rows = pst_table_row_count(table);
        keys = malloc(rows * sizeof(*keys));
        for (row = 0; row < rows; row++)
        {
            keys[row].row = row;
            keys[row].time = pst_table_get_cell(table, row, TAG_MESSAGE_DELIVERY_TIME, &v) ? INT64_MIN : v.u.i8;
        }
        qsort(keys, rows, sizeof(*keys), cmp_key_desc);
        for (row = 0; row < 50 && row < rows; row++)
        {
            if (!pst_table_row_id(table, keys[row].row, &id)) checksum += id;
            for (c = 0; c < (int)(sizeof(columns) / sizeof(columns[0])); c++)
                if (!pst_table_get_cell(table, keys[row].row, columns[c], &v)) checksum += v.size;
        }
        pst_table_close(table);
        t_sort[r] = now_ms() - t0;

        /* the physical part of the sort: the same keys, already in memory */
        copy = malloc(rows * sizeof(*copy));
        memcpy(copy, keys, rows * sizeof(*copy));
        for (row = 0; row < rows; row++) copy[row].row = rows - 1 - row;
        t0 = now_ms();
        qsort(copy, rows, sizeof(*copy), cmp_key_desc);
        t_sort_base[r] = now_ms() - t0;
        checksum += copy[0].row;
        free(copy);
        free(keys);

        /* Restrict: subject substring over all rows */
        t0 = now_ms();
        if ((ret = pst_folder_open_table(file, best.nid, PST_FOLDER_CONTENTS, &table))) die("contents table", ret);
        subjects = malloc(rows * sizeof(*subjects));
        subject_sizes = malloc(rows * sizeof(*subject_sizes));
        matches = 0;
        for (row = 0; row < rows; row++)
        {
            subjects[row] = NULL;
            subject_sizes[row] = 0;
            if (pst_table_get_cell(table, row, TAG_SUBJECT_W, &v)) continue;
            if (utf16_contains(v.bytes, v.size, needle, needle_size)) matches++;
            /* kept (outside the timed part's cost model) for the baseline */
            subjects[row] = malloc(v.size ? v.size : 1);
            memcpy(subjects[row], v.bytes, v.size);
            subject_sizes[row] = v.size;
        }
        pst_table_close(table);
        t_restrict[r] = now_ms() - t0;

        t0 = now_ms();
        base_matches = 0;
        for (row = 0; row < rows; row++)
            if (subjects[row] && utf16_contains(subjects[row], subject_sizes[row], needle, needle_size))
                base_matches++;
        t_restrict_base[r] = now_ms() - t0;
        if (base_matches != matches) fprintf(stderr, "bench_engine: match counts differ\n");
        for (row = 0; row < rows; row++) free(subjects[row]);
        free(subjects);
        free(subject_sizes);
    }
    close_pst(file, io);

    printf("folder_nid %#x\n", best.nid);
    printf("folder_rows %u\n", rows);
    printf("sort_query50_median_ms %.3f\n", percentile(t_sort, reps, 50));
    printf("sort_base_qsort_median_ms %.3f\n", percentile(t_sort_base, reps, 50));
    printf("restrict_matches %u\n", matches);
    printf("restrict_median_ms %.3f\n", percentile(t_restrict, reps, 50));
    printf("restrict_base_scan_median_ms %.3f\n", percentile(t_restrict_base, reps, 50));
    printf("checksum %ld\n", checksum);
    return 0;
}

/* ------------------------------------------------------------ readall -- */

struct walk_ctx
{
    struct pst_file *file;
    unsigned long messages;
    unsigned long long bytes;      /* subject + sender bytes read, size sum */
    uint32_t *held;                /* teardown: NIDs of messages to hold */
    size_t held_count, held_max;
};

static void walk_messages(struct walk_ctx *ctx, uint32_t folder, int depth, int open_messages)
{
    struct pst_table *table;
    struct pst_object *msg;
    struct pst_value v;
    uint32_t row, rows, nid;

    if (depth > 32) return;
    if (!pst_folder_open_table(ctx->file, folder, PST_FOLDER_CONTENTS, &table))
    {
        rows = pst_table_row_count(table);
        for (row = 0; row < rows; row++)
        {
            if (pst_table_row_id(table, row, &nid)) continue;
            if (!open_messages)
            {
                if (ctx->held_count < ctx->held_max) ctx->held[ctx->held_count++] = nid;
                continue;
            }
            if (pst_message_open(ctx->file, nid, &msg)) continue;
            ctx->messages++;
            if (!pst_prop_get(msg, TAG_SUBJECT_W, &v)) ctx->bytes += v.size;
            if (!pst_prop_get(msg, TAG_SENDER_NAME_W, &v)) ctx->bytes += v.size;
            if (!pst_prop_get(msg, TAG_MESSAGE_SIZE, &v)) ctx->bytes += (uint32_t)v.u.l;
            pst_object_close(msg);
        }
        pst_table_close(table);
    }
    if (!pst_folder_open_table(ctx->file, folder, PST_FOLDER_HIERARCHY, &table))
    {
        rows = pst_table_row_count(table);
        for (row = 0; row < rows; row++)
            if (!pst_table_row_id(table, row, &nid) && nid != folder)
                walk_messages(ctx, nid, depth + 1, open_messages);
        pst_table_close(table);
    }
}

static int bench_readall(const char *path)
{
    struct walk_ctx ctx = { 0 };
    static char buf[1 << 20];
    unsigned long long total = 0;
    struct pst_io *io;
    double t0, t_engine, t_base;
    ssize_t got;
    int fd;

    t0 = now_ms();
    ctx.file = open_pst(path, &io);
    walk_messages(&ctx, PST_NID_ROOT_FOLDER, 0, 1);
    close_pst(ctx.file, io);
    t_engine = now_ms() - t0;

    t0 = now_ms();
    if ((fd = open(path, O_RDONLY)) < 0)
    {
        perror(path);
        return 1;
    }
    while ((got = read(fd, buf, sizeof(buf))) > 0) total += got;
    close(fd);
    t_base = now_ms() - t0;

    printf("readall_messages %lu\n", ctx.messages);
    printf("readall_ms %.3f\n", t_engine);
    printf("readall_file_bytes %llu\n", total);
    printf("readall_base_sequential_read_ms %.3f\n", t_base);
    return 0;
}

/* ----------------------------------------------------------- teardown -- */

static int bench_teardown(const char *path, size_t n)
{
    struct walk_ctx ctx = { 0 };
    struct pst_object **objs;
    struct pst_io *io;
    double t0, t_open, t_close;
    size_t i, opened = 0;

    ctx.file = open_pst(path, &io);
    ctx.held_max = n;
    ctx.held = malloc(n * sizeof(*ctx.held));
    walk_messages(&ctx, PST_NID_ROOT_FOLDER, 0, 0);
    objs = malloc(n * sizeof(*objs));

    t0 = now_ms();
    for (i = 0; i < n; i++)
        if (!pst_message_open(ctx.file, ctx.held[i % (ctx.held_count ? ctx.held_count : 1)], &objs[opened]))
            opened++;
    t_open = now_ms() - t0;

    t0 = now_ms();
    for (i = 0; i < opened; i++) pst_object_close(objs[i]);
    close_pst(ctx.file, io);
    t_close = now_ms() - t0;

    printf("teardown_objects %zu\n", opened);
    printf("teardown_open_ms %.3f\n", t_open);
    printf("teardown_close_ms %.3f\n", t_close);
    printf("teardown_close_per_object_us %.3f\n", opened ? t_close * 1000.0 / opened : 0.0);
    free(objs);
    free(ctx.held);
    return 0;
}

/* ------------------------------------------------------------- ingest -- */

#define ING_SUBJECT_W     0x0037001f
#define ING_CLASS_W       0x001a001f
#define ING_BODY_W        0x1000001f
#define ING_DISPLAY_W     0x3001001f
#define ING_EMAIL_W       0x3003001f
#define ING_ADDRTYPE_W    0x3002001f
#define ING_RECIP_TYPE    0x0c150003
#define ING_ATT_METHOD    0x37050003
#define ING_ATT_LONGNAME  0x3707001f
#define ING_BODY_CHARS    1024          /* 2 KB of UTF-16 */
#define ING_ATTACH_SIZE   (10 * 1024)
#define ING_RECIPS        3

/* Counts the engine's flushes (fsyncs) on the way to the real file io. */
struct count_io
{
    struct pst_io io;
    struct pst_io *inner;
    unsigned long flushes;
    unsigned long long written;
};

static int cio_read(struct pst_io *io, uint64_t off, void *buf, size_t len)
{
    struct count_io *c = (struct count_io *)io;
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

struct ing_strings
{
    uint8_t subject[128], body[2 * ING_BODY_CHARS], attach[ING_ATTACH_SIZE];
    size_t subject_size;
};

static size_t to_utf16(uint8_t *out, const char *s)
{
    size_t i;

    for (i = 0; s[i]; i++)
    {
        out[2 * i] = (uint8_t)s[i];
        out[2 * i + 1] = 0;
    }
    return 2 * i;
}

static void ing_content(int i, struct ing_strings *c)
{
    char subject[64];
    size_t k;

    snprintf(subject, sizeof(subject), "Ingest message number %d", i);
    c->subject_size = to_utf16(c->subject, subject);
    for (k = 0; k < ING_BODY_CHARS; k++)
    {
        c->body[2 * k] = (uint8_t)('a' + (i + k) % 26);
        c->body[2 * k + 1] = 0;
    }
    for (k = 0; k < ING_ATTACH_SIZE; k++) c->attach[k] = (uint8_t)(i * 7 + k);
}

static struct pst_value ing_bytes(uint32_t tag, const uint8_t *data, size_t size)
{
    struct pst_value v;

    memset(&v, 0, sizeof(v));
    v.tag = tag;
    v.type = tag & 0xffff;
    v.bytes = data;
    v.size = size;
    return v;
}

static struct pst_value ing_long(uint32_t tag, int32_t l)
{
    struct pst_value v;

    memset(&v, 0, sizeof(v));
    v.tag = tag;
    v.type = tag & 0xffff;
    v.u.l = l;
    return v;
}

/* Deletes every other message of nids, then saves as many new ones,
 * committing every batch: the churn of figure 7. */
static void ingest_churn(struct pst_file *file, uint32_t inbox, uint32_t *nids, int n, int batch,
                         struct pst_message_data *msg, struct pst_value *subject, struct ing_strings *c)
{
    uint32_t nid;
    int i, done = 0, ret;

    for (i = 0; i < n; i += 2, done++)
    {
        if (done % batch == 0 && (ret = pst_begin(file))) die("begin", ret);
        if ((ret = pst_message_delete(file, nids[i]))) die("delete", ret);
        if ((done % batch == batch - 1 || i + 2 >= n) && (ret = pst_commit(file))) die("commit", ret);
    }
    for (i = 0; i < done; i++)
    {
        ing_content(n + i, c);
        *subject = ing_bytes(ING_SUBJECT_W, c->subject, c->subject_size);
        if (i % batch == 0 && (ret = pst_begin(file))) die("begin", ret);
        nid = 0;
        if ((ret = pst_message_save(file, inbox, 0, msg, &nid))) die("save", ret);
        if ((i % batch == batch - 1 || i == done - 1) && (ret = pst_commit(file))) die("commit", ret);
    }
}

/* Creates path and saves n messages, committing every batch; returns ms.
 * With sizes, also measures the file after the ingest (sizes[0]) and after
 * ingest_churn (sizes[1]), outside the timed part. */
/* The writer's work over the last ingest_engine run, and the time per
 * message over its first and last tenth (growth with the folder). */
static struct pst_write_stats ing_stats;
static double ing_first_ms, ing_last_ms;

static double ingest_engine(const char *path, int n, int batch, unsigned long *flushes, size_t *content,
                            unsigned long long *written, uint64_t sizes[2])
{
    static uint8_t cls[32], name[64], email[64], smtp[16], fname[32];
    size_t cls_size = to_utf16(cls, "IPM.Note"), name_size = to_utf16(name, "Bob Example");
    size_t email_size = to_utf16(email, "bob@example.org"), smtp_size = to_utf16(smtp, "SMTP");
    size_t fname_size = to_utf16(fname, "data.bin");
    struct ing_strings c;
    struct pst_value props[3], rprops[ING_RECIPS][4], aprops[3];
    struct pst_propset recips[ING_RECIPS];
    struct pst_attachment_data att;
    struct pst_message_data msg;
    struct pst_create_params params;
    struct count_io cio;
    struct pst_io *io;
    struct pst_file *file;
    uint32_t inbox, nid, *nids = NULL;
    char err[256];
    double t0, t;
    int i, k, ret;

    if (sizes && !(nids = calloc(n, sizeof(*nids))))
    {
        perror("calloc");
        exit(1);
    }
    memset(&params, 0, sizeof(params));
    params.display_name = (const uint16_t *)name;
    params.display_name_len = name_size / 2;
    params.crypt_method = 1;
    if ((ret = pst_io_open_file(path, PST_IO_WRITE | PST_IO_CREATE, &io))) die(path, ret);
    cio.io.read = cio_read;
    cio.io.write = cio_write;
    cio.io.flush = cio_flush;
    cio.io.get_size = cio_get_size;
    cio.io.set_size = cio_set_size;
    cio.io.close = cio_close;
    cio.inner = io;
    cio.flushes = 0;
    if ((ret = pst_create(&cio.io, NULL, &params, &file, err, sizeof(err))))
    {
        fprintf(stderr, "bench_engine: %s: %s\n", path, err);
        exit(1);
    }
    if ((ret = pst_store_get_folder(file, PST_FOLDER_INBOX, &inbox))) die("inbox", ret);
    for (k = 0; k < ING_RECIPS; k++)
    {
        rprops[k][0] = ing_long(ING_RECIP_TYPE, 1);
        rprops[k][1] = ing_bytes(ING_DISPLAY_W, name, name_size);
        rprops[k][2] = ing_bytes(ING_EMAIL_W, email, email_size);
        rprops[k][3] = ing_bytes(ING_ADDRTYPE_W, smtp, smtp_size);
        recips[k].props = rprops[k];
        recips[k].count = 4;
    }
    aprops[0] = ing_long(ING_ATT_METHOD, 1);
    aprops[1] = ing_bytes(ING_ATT_LONGNAME, fname, fname_size);
    aprops[2] = ing_bytes(PST_PR_ATTACH_DATA_BIN, c.attach, ING_ATTACH_SIZE);
    att.props.props = aprops;
    att.props.count = 3;
    att.embedded = NULL;
    props[0] = ing_bytes(ING_CLASS_W, cls, cls_size);
    props[2] = ing_bytes(ING_BODY_W, c.body, sizeof(c.body));
    msg.props.props = props;
    msg.props.count = 3;
    msg.recipients = recips;
    msg.recipient_count = ING_RECIPS;
    msg.attachments = &att;
    msg.attachment_count = 1;
    *content = 0;
    cio.flushes = 0;
    cio.written = 0;
    t0 = now_ms();
    for (i = 0; i < n; i++)
    {
        ing_content(i, &c);
        props[1] = ing_bytes(ING_SUBJECT_W, c.subject, c.subject_size);
        *content += c.subject_size + sizeof(c.body) + ING_RECIPS * (name_size + email_size + smtp_size)
                    + sizeof(c.attach);
        if (i % batch == 0 && (ret = pst_begin(file))) die("begin", ret);
        nid = 0;
        if ((ret = pst_message_save(file, inbox, 0, &msg, &nid))) die("save", ret);
        if (nids) nids[i] = nid;
        if ((i % batch == batch - 1 || i == n - 1) && (ret = pst_commit(file))) die("commit", ret);
        if (i + 1 == (n + 9) / 10) ing_first_ms = now_ms() - t0;
        if (i + 1 == n - (n + 9) / 10) ing_last_ms = now_ms();
    }
    t = now_ms() - t0;
    ing_last_ms = now_ms() - ing_last_ms;
    pst_write_get_stats(file, &ing_stats);
    *flushes = cio.flushes;
    *written = cio.written;
    if (sizes)
    {
        if ((ret = io->get_size(io, &sizes[0]))) die("size", ret);
        ingest_churn(file, inbox, nids, n, batch, &msg, &props[1], &c);
        if ((ret = io->get_size(io, &sizes[1]))) die("size", ret);
        free(nids);
    }
    pst_close(file);
    io->close(io);
    return t;
}

/* The same content bytes with write() and fsyncs commits times. */
static double ingest_baseline(const char *path, int n, int batch)
{
    static uint8_t name[64], email[64], smtp[16];
    size_t name_size = to_utf16(name, "Bob Example"), email_size = to_utf16(email, "bob@example.org");
    size_t smtp_size = to_utf16(smtp, "SMTP");
    struct ing_strings c;
    double t0, t;
    int fd, i, k;

    if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
    {
        perror(path);
        exit(1);
    }
    t0 = now_ms();
    for (i = 0; i < n; i++)
    {
        ing_content(i, &c);
        if (write(fd, c.subject, c.subject_size) < 0 || write(fd, c.body, sizeof(c.body)) < 0) goto fail;
        for (k = 0; k < ING_RECIPS; k++)
            if (write(fd, name, name_size) < 0 || write(fd, email, email_size) < 0 || write(fd, smtp, smtp_size) < 0)
                goto fail;
        if (write(fd, c.attach, sizeof(c.attach)) < 0) goto fail;
        if ((i % batch == batch - 1 || i == n - 1) && fsync(fd)) goto fail;
    }
    t = now_ms() - t0;
    close(fd);
    unlink(path);
    return t;
fail:
    perror(path);
    exit(1);
}

static void ingest_run(const char *path, int n, int batch)
{
    char base_path[4096];
    unsigned long flushes;
    unsigned long long written;
    size_t content;
    double te, tb, tb1, tb2;
    int commits = (n + batch - 1) / batch;

    snprintf(base_path, sizeof(base_path), "%s.baseline", path);
    /* the baseline runs before and after the engine, and counts as the
     * mean of both: load that changes during the run (a shared machine)
     * then weighs on both sides alike */
    tb1 = ingest_baseline(base_path, n, batch);
    te = ingest_engine(path, n, batch, &flushes, &content, &written, NULL);
    tb2 = ingest_baseline(base_path, n, batch);
    tb = (tb1 + tb2) / 2;
    printf("ingest_b%d_messages %d\n", batch, n);
    printf("ingest_b%d_commits %d\n", batch, commits);
    printf("ingest_b%d_ms %.3f\n", batch, te);
    printf("ingest_b%d_msgs_per_s %.1f\n", batch, te > 0 ? n * 1000.0 / te : 0.0);
    printf("ingest_b%d_flushes %lu\n", batch, flushes);
    printf("ingest_b%d_content_bytes %zu\n", batch, content);
    printf("ingest_b%d_bytes_written %llu\n", batch, written);
    printf("ingest_b%d_baseline_ms %.3f\n", batch, tb);
    printf("ingest_b%d_baseline_before_ms %.3f\n", batch, tb1);
    printf("ingest_b%d_baseline_after_ms %.3f\n", batch, tb2);
    printf("ingest_b%d_baseline_msgs_per_s %.1f\n", batch, tb > 0 ? n * 1000.0 / tb : 0.0);
    printf("ingest_b%d_baseline_fsyncs %d\n", batch, commits);
    printf("ingest_b%d_rate_vs_baseline %.3f\n", batch, te > 0 ? tb / te : 0.0);
    printf("ingest_b%d_first_tenth_ms_per_msg %.4f\n", batch, ing_first_ms / ((n + 9) / 10));
    printf("ingest_b%d_last_tenth_ms_per_msg %.4f\n", batch, ing_last_ms / ((n + 9) / 10));
    printf("ingest_b%d_writer_blocks_written %llu\n", batch, ing_stats.blocks_written);
    printf("ingest_b%d_writer_refs_changed %llu\n", batch, ing_stats.refs_changed);
    printf("ingest_b%d_writer_refs_moved %llu\n", batch, ing_stats.refs_moved);
    printf("ingest_b%d_writer_leaves_visited %llu\n", batch, ing_stats.leaves_visited);
    printf("ingest_b%d_writer_heap_bytes_copied %llu\n", batch, ing_stats.heap_bytes_copied);
    printf("ingest_b%d_writer_bt_nodes_visited %llu\n", batch, ing_stats.bt_nodes_visited);
    printf("ingest_b%d_writer_ranges_visited %llu\n", batch, ing_stats.ranges_visited);
}

/* Figure 7: file bytes over content bytes after an ingest of n messages
 * and after deleting half of them and saving as many again (the content
 * then is as big as before). */
static int bench_size(const char *path, int n)
{
    unsigned long long written;
    unsigned long flushes;
    uint64_t sizes[2];
    size_t content;

    if (n < 2) n = 2;
    ingest_engine(path, n, 100, &flushes, &content, &written, sizes);
    printf("size_messages %d\n", n);
    printf("size_content_bytes %zu\n", content);
    printf("size_file_bytes_after_ingest %llu\n", (unsigned long long)sizes[0]);
    printf("size_ratio_after_ingest %.3f\n", (double)sizes[0] / content);
    printf("size_file_bytes_after_churn %llu\n", (unsigned long long)sizes[1]);
    printf("size_ratio_after_churn %.3f\n", (double)sizes[1] / content);
    return 0;
}

static int bench_ingest(const char *path, int n, const char *mode)
{
    char path2[4096];

    if (n < 1) n = 1;
    if (mode && !strcmp(mode, "both"))
    {
        ingest_run(path, n, 1);
        snprintf(path2, sizeof(path2), "%s.b100", path);
        ingest_run(path2, n, 100);
    }
    else ingest_run(path, n, mode ? (atoi(mode) > 0 ? atoi(mode) : 1) : 1);
    return 0;
}

int main(int argc, char **argv)
{
    int ret;

    if (argc < 3)
    {
        fprintf(stderr, "usage: bench_engine cycles|folder|readall|teardown|ingest|size FILE.pst [N]\n");
        return 2;
    }
    if (!strcmp(argv[1], "cycles")) ret = bench_cycles(argv[2], argc > 3 ? atoi(argv[3]) : 1000);
    else if (!strcmp(argv[1], "folder")) ret = bench_folder(argv[2], argc > 3 ? atoi(argv[3]) : 5);
    else if (!strcmp(argv[1], "readall")) ret = bench_readall(argv[2]);
    else if (!strcmp(argv[1], "ingest")) ret = bench_ingest(argv[2], argc > 3 ? atoi(argv[3]) : 1000, argc > 4 ? argv[4] : NULL);
    else if (!strcmp(argv[1], "size")) ret = bench_size(argv[2], argc > 3 ? atoi(argv[3]) : 10000);
    else if (!strcmp(argv[1], "teardown")) ret = bench_teardown(argv[2], argc > 3 ? strtoul(argv[3], NULL, 10) : 1000);
    else
    {
        fprintf(stderr, "bench_engine: unknown mode %s\n", argv[1]);
        return 2;
    }
    print_maxrss();
    return ret;
}
