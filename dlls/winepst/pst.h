/*
 * PST engine: public C API (reader and strict checker)
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * LAYERS (each only calls the one below it; none uses COM or Win32 types):
 *
 *   io         pst_io_*       a table of functions (read / get_size, and the
 *                             write / flush / set_size slots a copy-on-write
 *                             writer will use).  Backends: file (Win32 handles
 *                             under _WIN32, small reads served from a few
 *                             64 KiB windows that writes drop; POSIX fds
 *                             otherwise), memory, and a fault-injecting
 *                             wrapper for tests.
 *   ndb        (private)      header, CRCs, block encodings, NBT/BBT B-trees,
 *                             blocks, XBLOCK/XXBLOCK data trees, subnode trees.
 *   ltp        pst_table_*,   heap-on-node, BTH, property context (PC),
 *              pst_prop_*     table context (TC).
 *   messaging  pst_store_*,   store, folders, messages, recipients,
 *              pst_folder_*,  attachments (incl. embedded messages), named
 *              pst_message_*, property map, entry IDs.
 *              ...
 *   checker    pst_check      walks every layer and reports every finding.
 *
 * INVARIANTS
 *   1. Nothing read from the file is trusted: every offset, size, count and
 *      index is bounds-checked before use, every recursion is depth-limited
 *      and every B-tree / block-tree walk is cycle-checked.  Every allocation
 *      sized from file data is limited by the file size and a fixed cap.
 *      Corruption gives PST_E_CORRUPT plus a human message naming the file
 *      offset / NID / BID (pst_last_error), never a crash or a hang.
 *   2. Reading never changes the file.  Block and page CRCs are verified on
 *      every read from the io (a reader that returns garbage silently is
 *      worse than one that refuses); the page and block caches of a
 *      pst_file hold only data verified when it was read.
 *   3. Handles hold the pst_file alive only by pointer: close every handle
 *      before pst_close.  Pointers inside a struct pst_value stay valid until
 *      the handle it came from is closed.
 *   4. The password CRC (PR_PST_PASSWORD) is reported, never enforced: the
 *      engine reads password-protected stores; refusing is the caller's
 *      policy.
 *
 * THREAD SAFETY
 *   Handles are not thread safe.  All handles of one pst_file share state
 *   (the io object, the error message), so the caller serialises all calls
 *   on one file and on every handle opened from it (the COM layer holds one
 *   lock per pst_file).  Different files are independent.
 *
 * MEMORY
 *   The engine allocates through struct pst_allocator (malloc/realloc/free
 *   by default), so tests can inject allocation failures.  Strings and
 *   binaries are byte spans exactly as stored: PT_UNICODE is UTF-16LE,
 *   PT_STRING8 is raw 8-bit bytes, neither is NUL-terminated.
 */

#ifndef __WINE_PST_H
#define __WINE_PST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes.  The COM layer maps them to MAPI codes. */
enum pst_error
{
    PST_OK = 0,
    PST_E_IO,           /* read/write failure of the backing store (MAPI_E_DISK_ERROR) */
    PST_E_NOMEM,        /* allocation failed (MAPI_E_NOT_ENOUGH_MEMORY) */
    PST_E_CORRUPT,      /* structure violates the format (MAPI_E_CORRUPT_DATA) */
    PST_E_UNSUPPORTED,  /* valid but unsupported: wVer 36/37, unknown bCryptMethod, OST (MAPI_E_NO_SUPPORT) */
    PST_E_NOT_FOUND,    /* node, property, row or name absent (MAPI_E_NOT_FOUND) */
    PST_E_INVALID_ARG,  /* caller error (MAPI_E_INVALID_PARAMETER) */
    PST_E_TOO_BIG,      /* value too large to load at once: stream it (MAPI_E_NOT_ENOUGH_MEMORY) */
    PST_E_READ_ONLY,    /* write requested on a read-only io (MAPI_E_NO_ACCESS) */
    PST_E_LOCKED,       /* another writer holds the file (MAPI_E_NO_ACCESS) */
    PST_E_STATE         /* call out of order: no transaction, or a failed one (MAPI_E_CALL_FAILED) */
};

const char *pst_strerror(int err);

/* ------------------------------------------------------------------ io -- */

/* A backend.  Ownership: the pst_file that is opened on it does not own it;
 * call close yourself after pst_close.  Every slot returns an enum pst_error. */
struct pst_io
{
    /* Read exactly len bytes at offset; a short read past the end of the
     * data is PST_E_IO. */
    int (*read)(struct pst_io *io, uint64_t offset, void *buf, size_t len);
    int (*write)(struct pst_io *io, uint64_t offset, const void *buf, size_t len);
    int (*flush)(struct pst_io *io);
    int (*get_size)(struct pst_io *io, uint64_t *size);
    int (*set_size)(struct pst_io *io, uint64_t size);
    void (*close)(struct pst_io *io);
};

/* Allocator hooks; a NULL pointer means the C library. */
struct pst_allocator
{
    void *(*alloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t size);
    void (*free)(void *ctx, void *ptr);
    void *ctx;
};

#define PST_IO_WRITE 0x1    /* open for writing; excludes other writers (PST_E_LOCKED) */
#define PST_IO_CREATE 0x2   /* with PST_IO_WRITE: create the file, or truncate it to 0 bytes */

/* path is UTF-8; on Windows it is converted to UTF-16 for CreateFileW. */
int pst_io_open_file(const char *path, unsigned int flags, struct pst_io **io);
/* UTF-16 path, Windows only (PST_E_UNSUPPORTED elsewhere). */
int pst_io_open_file_w(const uint16_t *path, unsigned int flags, struct pst_io **io);
/* A memory backend.  With copy = 0 the buffer is used in place and must
 * outlive the io (writes are then refused). */
int pst_io_open_memory(const void *data, size_t size, int copy, struct pst_io **io);

/* Fault injection for tests: wraps inner (not owned) so that the Nth call
 * (1-based, 0 = never) of each kind fails with PST_E_IO / PST_E_NOMEM. */
struct pst_fault
{
    unsigned int fail_read;
    unsigned int fail_write;
    unsigned int fail_flush;
    unsigned int fail_alloc;
    unsigned int reads, writes, flushes, allocs;   /* counters, updated by the wrapper */
};
int pst_io_open_fault(struct pst_io *inner, struct pst_fault *fault, struct pst_io **io);
/* An allocator that counts into fault and fails its fail_alloc'th call. */
void pst_fault_allocator(struct pst_fault *fault, struct pst_allocator *out);

/* ------------------------------------------------------------ the file -- */

struct pst_file;

enum pst_format
{
    PST_FORMAT_ANSI = 1,     /* wVer 14/15: 32-bit BIDs and offsets */
    PST_FORMAT_UNICODE = 2   /* wVer 23: 64-bit BIDs and offsets */
};

struct pst_file_info
{
    enum pst_format format;
    uint16_t wver;
    uint16_t wver_client;
    uint8_t crypt_method;    /* 0 none, 1 permute, 2 cyclic */
    uint8_t amap_valid;      /* fAMapValid */
    uint64_t file_eof;       /* ibFileEof */
    uint64_t file_size;      /* actual size of the io */
    uint64_t amap_last;
    uint64_t amap_free;
    uint64_t pmap_free;
    uint64_t next_bid;
    uint64_t next_pid;
    uint32_t unique;
};

/* Opens read-only.  alloc may be NULL.  On failure *file is NULL and, if
 * errmsg is not NULL, a description is copied to it (errmsg_size bytes). */
int pst_open(struct pst_io *io, const struct pst_allocator *alloc, struct pst_file **file,
             char *errmsg, size_t errmsg_size);
void pst_close(struct pst_file *file);
void pst_get_info(struct pst_file *file, struct pst_file_info *info);
/* Description of the last error on this file, with its location; "" if none. */
const char *pst_last_error(struct pst_file *file);

/* ---------------------------------------------------------- raw nodes -- */

#define PST_NID_TYPE(nid)  ((nid) & 0x1f)
#define PST_NID_INDEX(nid) ((nid) >> 5)
#define PST_NID_MAKE(index, type) ((uint32_t)(((index) << 5) | (type)))

enum pst_nid_type
{
    PST_NID_TYPE_HID = 0x00,
    PST_NID_TYPE_INTERNAL = 0x01,
    PST_NID_TYPE_NORMAL_FOLDER = 0x02,
    PST_NID_TYPE_SEARCH_FOLDER = 0x03,
    PST_NID_TYPE_NORMAL_MESSAGE = 0x04,
    PST_NID_TYPE_ATTACHMENT = 0x05,
    PST_NID_TYPE_SEARCH_UPDATE_QUEUE = 0x06,
    PST_NID_TYPE_SEARCH_CRITERIA_OBJECT = 0x07,
    PST_NID_TYPE_ASSOC_MESSAGE = 0x08,
    PST_NID_TYPE_CONTENTS_TABLE_INDEX = 0x0a,
    PST_NID_TYPE_RECEIVE_FOLDER_TABLE = 0x0b,
    PST_NID_TYPE_OUTGOING_QUEUE_TABLE = 0x0c,
    PST_NID_TYPE_HIERARCHY_TABLE = 0x0d,
    PST_NID_TYPE_CONTENTS_TABLE = 0x0e,
    PST_NID_TYPE_ASSOC_CONTENTS_TABLE = 0x0f,
    PST_NID_TYPE_SEARCH_CONTENTS_TABLE = 0x10,
    PST_NID_TYPE_ATTACHMENT_TABLE = 0x11,
    PST_NID_TYPE_RECIPIENT_TABLE = 0x12,
    PST_NID_TYPE_SEARCH_TABLE_INDEX = 0x13,
    PST_NID_TYPE_LTP = 0x1f
};

#define PST_NID_MESSAGE_STORE       0x21
#define PST_NID_NAME_TO_ID_MAP      0x61
#define PST_NID_ROOT_FOLDER         0x122
#define PST_NID_ATTACHMENT_TABLE    0x671
#define PST_NID_RECIPIENT_TABLE     0x692

struct pst_node_info
{
    uint32_t nid;
    uint32_t nid_parent;
    uint64_t bid_data;
    uint64_t bid_sub;
    uint64_t data_size;      /* total bytes of the data tree */
};

int pst_node_get(struct pst_file *file, uint32_t nid, struct pst_node_info *info);
/* Calls cb for every NBT entry in key order; a non-zero return from cb stops
 * the walk and is returned.  data_size is not filled (0). */
int pst_node_foreach(struct pst_file *file,
                     int (*cb)(void *ctx, const struct pst_node_info *info), void *ctx);

/* ---------------------------------------------------------- properties -- */

#define PST_PROP_TYPE(tag) ((uint16_t)((tag) & 0xffff))
#define PST_PROP_ID(tag)   ((uint16_t)((tag) >> 16))
#define PST_PROP_TAG(id, type) ((((uint32_t)(id)) << 16) | (uint16_t)(type))

enum pst_prop_type
{
    PST_PT_UNSPECIFIED = 0x0000,
    PST_PT_NULL = 0x0001,
    PST_PT_I2 = 0x0002,
    PST_PT_LONG = 0x0003,
    PST_PT_R4 = 0x0004,
    PST_PT_DOUBLE = 0x0005,
    PST_PT_CURRENCY = 0x0006,
    PST_PT_APPTIME = 0x0007,
    PST_PT_ERROR = 0x000a,
    PST_PT_BOOLEAN = 0x000b,
    PST_PT_OBJECT = 0x000d,
    PST_PT_I8 = 0x0014,
    PST_PT_STRING8 = 0x001e,
    PST_PT_UNICODE = 0x001f,
    PST_PT_SYSTIME = 0x0040,
    PST_PT_CLSID = 0x0048,
    PST_PT_SVREID = 0x00fb,
    PST_PT_SRESTRICT = 0x00fd,
    PST_PT_ACTIONS = 0x00fe,
    PST_PT_BINARY = 0x0102,
    PST_MV_FLAG = 0x1000
};

#define PST_PR_ATTACH_DATA_BIN   0x37010102
#define PST_PR_ATTACH_DATA_OBJ   0x3701000d
#define PST_PR_ATTACH_METHOD     0x37050003
#define PST_PR_PST_PASSWORD      0x67ff0003
#define PST_PR_RECORD_KEY        0x0ff90102
#define PST_PR_LTP_ROW_ID        0x67f20003
#define PST_PR_LTP_ROW_VER       0x67f30003

/* A value.  For fixed types the union holds it; for strings, binaries,
 * CLSID and multi-valued types bytes/size is the stored encoding (MV:
 * see pst_value_mv_*).  PT_OBJECT: obj_nid / obj_size (the subnode holding
 * an embedded message and its size). */
struct pst_value
{
    uint32_t tag;
    uint16_t type;
    union
    {
        int16_t i2;
        int32_t l;
        int64_t i8;          /* also PT_CURRENCY and PT_SYSTIME (FILETIME) */
        float r4;
        double dbl;          /* also PT_APPTIME */
        int boolean;
        uint32_t err;
        struct
        {
            uint32_t nid;
            uint32_t size;
        } obj;
    } u;
    const uint8_t *bytes;    /* variable-size and CLSID/MV data, else NULL */
    size_t size;             /* byte size of the stored value */
};

/* Multi-valued values: element count and the i-th element as a value of the
 * single-valued type. */
int pst_value_mv_count(const struct pst_value *value, uint32_t *count);
int pst_value_mv_get(const struct pst_value *value, uint32_t index, struct pst_value *elem);

/* A property context: store, folder, message, attachment, name map... */
struct pst_object;

enum pst_object_kind
{
    PST_OBJ_STORE = 1,
    PST_OBJ_FOLDER,
    PST_OBJ_MESSAGE,
    PST_OBJ_ATTACHMENT,
    PST_OBJ_OTHER
};

/* Opens the PC in top-level node nid. */
int pst_object_open(struct pst_file *file, uint32_t nid, struct pst_object **obj);
void pst_object_close(struct pst_object *obj);
uint32_t pst_object_nid(const struct pst_object *obj);
/* nidParent of the NBT entry of a top-level node (pst_object_open,
 * pst_message_open ...): a message's folder.  0 for subnode objects. */
uint32_t pst_object_parent(const struct pst_object *obj);
enum pst_object_kind pst_object_kind(const struct pst_object *obj);
/* Number of properties, and the index-th in ascending tag order. */
uint32_t pst_prop_count(const struct pst_object *obj);
int pst_prop_get_at(struct pst_object *obj, uint32_t index, struct pst_value *value);
/* Exact tag (id and type) lookup; PST_E_NOT_FOUND if absent.  Values stored
 * in a subnode larger than PST_MAX_VALUE_LOAD give PST_E_TOO_BIG: stream them. */
int pst_prop_get(struct pst_object *obj, uint32_t tag, struct pst_value *value);
#define PST_MAX_VALUE_LOAD (64u * 1024 * 1024)

/* Streams: read a range of a (possibly XXBLOCK-sized) value without
 * loading the rest. */
struct pst_stream;
int pst_prop_open_stream(struct pst_object *obj, uint32_t tag, struct pst_stream **stream);
uint64_t pst_stream_size(const struct pst_stream *stream);
/* Reads up to len bytes at offset; *read gets the count (0 at the end). */
int pst_stream_read(struct pst_stream *stream, uint64_t offset, void *buf, size_t len, size_t *read);
void pst_stream_close(struct pst_stream *stream);

/* -------------------------------------------------------------- tables -- */

struct pst_table;

struct pst_column
{
    uint32_t tag;
    uint16_t offset;     /* ibData */
    uint8_t size;        /* cbData */
    uint8_t bit;         /* iBit in the cell existence bitmap */
};

/* Opens the TC in top-level node nid (hierarchy, contents, templates...). */
int pst_table_open(struct pst_file *file, uint32_t nid, struct pst_table **table);
void pst_table_close(struct pst_table *table);
uint32_t pst_table_column_count(const struct pst_table *table);
int pst_table_column(const struct pst_table *table, uint32_t index, struct pst_column *col);
uint32_t pst_table_row_count(const struct pst_table *table);
/* Row ID (PidTagLtpRowId, a NID for hierarchy/contents/attachment rows). */
int pst_table_row_id(struct pst_table *table, uint32_t row, uint32_t *row_id);
/* Finds a row by row ID through the row index. */
int pst_table_find_row(struct pst_table *table, uint32_t row_id, uint32_t *row);
/* Cell by column tag (exact tag).  PST_E_NOT_FOUND if the column does not
 * exist or the cell existence bit is clear.  Pointers stay valid until the
 * next call on this table. */
int pst_table_get_cell(struct pst_table *table, uint32_t row, uint32_t tag, struct pst_value *value);

/* ----------------------------------------------------------- messaging -- */

/* Store: the PC of NID_MESSAGE_STORE. */
int pst_store_open(struct pst_file *file, struct pst_object **store);
/* Store record key (PR_RECORD_KEY, the UID in entry IDs). */
int pst_store_get_uid(struct pst_file *file, uint8_t uid[16]);
/* PR_PST_PASSWORD (0 = none).  Reported, not enforced. */
int pst_store_get_password_crc(struct pst_file *file, uint32_t *crc);
/* NID of the IPM subtree, Deleted Items, Search Root from the store PC. */
int pst_store_get_special_folder(struct pst_file *file, uint32_t entryid_tag, uint32_t *nid);

/* Folders. */
enum pst_folder_table
{
    PST_FOLDER_HIERARCHY = PST_NID_TYPE_HIERARCHY_TABLE,
    PST_FOLDER_CONTENTS = PST_NID_TYPE_CONTENTS_TABLE,
    PST_FOLDER_ASSOC = PST_NID_TYPE_ASSOC_CONTENTS_TABLE
};
int pst_folder_open(struct pst_file *file, uint32_t nid, struct pst_object **folder);
int pst_folder_open_table(struct pst_file *file, uint32_t folder_nid, enum pst_folder_table which,
                          struct pst_table **table);
/* Children by NBT parent links (the other navigation path): calls cb for
 * every node whose nidParent is parent_nid and whose type is nid_type
 * (0xff = any), except the node itself. */
int pst_children_foreach(struct pst_file *file, uint32_t parent_nid, unsigned int nid_type,
                         int (*cb)(void *ctx, uint32_t nid), void *ctx);

/* Messages.  pst_message_open opens a top-level message node. */
int pst_message_open(struct pst_file *file, uint32_t nid, struct pst_object **msg);
/* Recipient (PST_NID_RECIPIENT_TABLE) or attachment (PST_NID_ATTACHMENT_TABLE)
 * table of a message; PST_E_NOT_FOUND if the message has none. */
int pst_message_open_table(struct pst_object *msg, uint32_t which, struct pst_table **table);
/* Attachment by its subnode NID (the attachment table's row ID). */
int pst_message_open_attachment(struct pst_object *msg, uint32_t attach_nid, struct pst_object **att);
/* Embedded message of an attachment with PR_ATTACH_METHOD 5 (ATTACH_EMBEDDED_MSG). */
int pst_attachment_open_message(struct pst_object *att, struct pst_object **msg);

/* Entry IDs: 4 zero flag bytes, 16-byte store UID, 4-byte NID (24 bytes). */
#define PST_ENTRYID_SIZE 24
void pst_entryid_format(const uint8_t uid[16], uint32_t nid, uint8_t out[PST_ENTRYID_SIZE]);
/* Checks size and flags; uid may be NULL.  Does not check the UID. */
int pst_entryid_parse(const uint8_t *data, size_t size, uint8_t uid[16], uint32_t *nid);

/* Named properties (NID_NAME_TO_ID_MAP). */
struct pst_namemap;

enum pst_name_kind
{
    PST_NAME_ID = 0,
    PST_NAME_STRING = 1
};

struct pst_name
{
    uint8_t guid[16];
    enum pst_name_kind kind;
    uint32_t lid;             /* PST_NAME_ID */
    const uint8_t *name;      /* PST_NAME_STRING: UTF-16LE, not terminated */
    size_t name_size;         /* in bytes */
};

int pst_namemap_open(struct pst_file *file, struct pst_namemap **map);
void pst_namemap_close(struct pst_namemap *map);
uint32_t pst_namemap_count(const struct pst_namemap *map);
/* prop_id is 0x8000 + index. */
int pst_namemap_get_name(struct pst_namemap *map, uint16_t prop_id, struct pst_name *name);
int pst_namemap_get_id(struct pst_namemap *map, const struct pst_name *name, uint16_t *prop_id);

/* ------------------------------------------------------------- writer -- */

/*
 * WRITING (pst_write.c: NDB, pst_write_ltp.c: heaps/PC/TC, pst_write_msg.c:
 * messaging).  Unicode (wVer 23) files only.
 *
 * One writer per file: pst_io_open_file with PST_IO_WRITE takes an
 * exclusive lock (POSIX: an open-file-description fcntl write lock on the
 * whole file; Windows: share mode FILE_SHARE_READ), so a second writer, in
 * this process or another, gets PST_E_LOCKED.  Readers are not excluded;
 * they see the last committed state as long as they reopen after a commit.
 * A reader opened on another handle keeps reading the state it opened,
 * however many commits follow: on Windows it holds a shared lock that makes
 * the writer keep what its commits free from reuse until no reader is left
 * (the file grows meanwhile), and it reads the header and the file size as
 * one snapshot (pst_io.c).  POSIX readers take no lock.
 *
 * Transactions: pst_begin, any number of write calls, then pst_commit or
 * pst_abort.  Write calls outside a transaction give PST_E_STATE.  After a
 * failed write call or a failed commit the transaction is dead: only
 * pst_abort is accepted (the file still holds the last committed state).
 * Commit protocol (crash safety, copy-on-write; two flushes per commit):
 *   1. new blocks and B-tree pages (only the pages on the paths to changed
 *      entries) go only to space that the committed state does not use
 *      (freed space becomes reusable after the commit); the committed
 *      header is rewritten with fAMapValid = INVALID; flush;
 *   2. header with the new B-tree roots and fAMapValid = INVALID, and the
 *      AMap pages of the ranges that changed; flush: the commit point;
 *   3. header with fAMapValid = VALID_AMAP2, not flushed (durable at the
 *      next commit's first flush or when the file is closed).
 * A crash before 1's flush leaves the old state (plus, possibly, a file
 * longer than ibFileEof); between the flushes the old or the new state with
 * an invalid AMap; after 2, the new state, its AMap valid or not.
 * pst_open_write repairs both: it truncates the file to ibFileEof and
 * rebuilds the AMap from the B-trees when fAMapValid is not VALID_AMAP2
 * (what Outlook does too).  Reads through this file during a transaction
 * see the transaction's nodes; folder tables and counts are brought up to
 * date at commit.  Handles opened before a commit may go stale: reopen.
 */

struct pst_create_params
{
    const uint16_t *display_name;  /* UTF-16LE store name, not terminated */
    size_t display_name_len;       /* in characters */
    const uint8_t *uid;            /* 16-byte record key, NULL = random */
    uint8_t crypt_method;          /* 0 none, 1 permute (Outlook's default) */
};

/* Writes a new empty store (Outlook's blueprint plus Inbox, Outbox, Sent
 * Items, Drafts) to io, which must be writable and is truncated, and opens
 * it for writing. */
int pst_create(struct pst_io *io, const struct pst_allocator *alloc, const struct pst_create_params *params,
               struct pst_file **file, char *errmsg, size_t errmsg_size);
/* Opens an existing Unicode file for writing (repairs after a crash, see above). */
int pst_open_write(struct pst_io *io, const struct pst_allocator *alloc, struct pst_file **file,
                   char *errmsg, size_t errmsg_size);
int pst_begin(struct pst_file *file);
int pst_commit(struct pst_file *file);
void pst_abort(struct pst_file *file);

/* What the writer did since the file was opened for writing, for tests and
 * benchmarks: a commit's work must not grow with the folder or the store. */
struct pst_write_stats
{
    unsigned long long blocks_written;    /* blocks written (data and internal) */
    unsigned long long refs_changed;      /* block reference counts changed one by one */
    unsigned long long refs_moved;        /* references moved whole from a replaced internal block */
    unsigned long long leaves_visited;    /* leaves of rewritten data trees looked at */
    unsigned long long heap_bytes_copied; /* table heap bytes copied from a kept layout */
    unsigned long long bt_nodes_visited;  /* B-tree page nodes looked at by commits */
    unsigned long long ranges_visited;    /* AMap ranges the free-space search went through */
};
int pst_write_get_stats(struct pst_file *file, struct pst_write_stats *stats);

/* A property list for the write calls: struct pst_value as the reader
 * returns it (fixed types in the union, others as bytes/size in their stored
 * encoding; PT_OBJECT is written by pst_message_save only). */
struct pst_propset
{
    const struct pst_value *props;
    uint32_t count;
};

struct pst_message_data;

struct pst_attachment_data
{
    struct pst_propset props;                 /* PR_ATTACH_DATA_BIN may be any size */
    const struct pst_message_data *embedded;  /* with PR_ATTACH_METHOD 5, else NULL */
};

struct pst_message_data
{
    struct pst_propset props;
    const struct pst_propset *recipients;     /* one property list per row */
    uint32_t recipient_count;
    const struct pst_attachment_data *attachments;
    uint32_t attachment_count;
};

/* Special folders of a new store, for pst_store_get_folder. */
enum pst_special_folder
{
    PST_FOLDER_ROOT = 0,
    PST_FOLDER_IPM_SUBTREE,
    PST_FOLDER_INBOX,
    PST_FOLDER_OUTBOX,
    PST_FOLDER_SENT,
    PST_FOLDER_DELETED,
    PST_FOLDER_DRAFTS,
    PST_FOLDER_SEARCH_ROOT
};

/* Folders: create under parent (props: at least PR_DISPLAY_NAME_W), change
 * or delete properties (counts and PR_SUBFOLDERS are the engine's), delete
 * (recursively, with contents), move. */
int pst_folder_create(struct pst_file *file, uint32_t parent_nid, const struct pst_propset *props, uint32_t *nid);
int pst_folder_set_props(struct pst_file *file, uint32_t nid, const struct pst_propset *set,
                         const uint32_t *remove_tags, uint32_t remove_count);
int pst_folder_delete(struct pst_file *file, uint32_t nid);
int pst_folder_move(struct pst_file *file, uint32_t nid, uint32_t new_parent);
/* Messages: *nid = 0 creates a new message (FAI if assoc) in folder_nid;
 * otherwise replaces message *nid whole (same folder).  The engine sets
 * PR_MESSAGE_SIZE and keeps the folder's contents table and counts. */
int pst_message_save(struct pst_file *file, uint32_t folder_nid, int assoc, const struct pst_message_data *msg,
                     uint32_t *nid);
/* Changes top-level properties of a saved message, keeping recipients and attachments. */
int pst_message_set_props(struct pst_file *file, uint32_t nid, const struct pst_propset *set,
                          const uint32_t *remove_tags, uint32_t remove_count);
int pst_message_delete(struct pst_file *file, uint32_t nid);
int pst_message_move(struct pst_file *file, uint32_t nid, uint32_t new_folder);
/* Special folder NIDs of a store made by pst_create (the IPM subtree and
 * friends through PR_IPM_SUBTREE_ENTRYID etc. on any store). */
int pst_store_get_folder(struct pst_file *file, enum pst_special_folder which, uint32_t *nid);
/* Named properties: the id of name, adding it to the map if absent. */
int pst_namemap_add(struct pst_file *file, const struct pst_name *name, uint16_t *prop_id);
/* The store's own PC (NID_MESSAGE_STORE): set and remove properties
 * (PR_RECORD_KEY, the UID of the store's entry IDs, is kept). */
int pst_store_set_props(struct pst_file *file, const struct pst_propset *set, const uint32_t *remove_tags,
                        uint32_t remove_count);
/* The receive folder table (NID 0x62b): message class (UTF-16LE, len
 * characters, compared without ASCII case; len 0 = the default class) goes
 * to folder_nid; folder_nid 0 removes the class's row (not the default's). */
int pst_store_set_receive_folder(struct pst_file *file, const uint16_t *msg_class, size_t len, uint32_t folder_nid);
/* PR_PST_PASSWORD of a password given as 8-bit characters (0 for none). */
uint32_t pst_password_crc(const void *text, size_t len);

/* ------------------------------------------------------------- checker -- */

enum pst_check_code
{
    PST_CHK_HEADER = 1,         /* magic, version, sentinel, field values */
    PST_CHK_HEADER_CRC,         /* dwCRCPartial / dwCRCFull */
    PST_CHK_PAGE,               /* page type, signature, trailer bid, bounds */
    PST_CHK_PAGE_CRC,
    PST_CHK_BTREE,              /* key order, parent/child keys, levels, counts */
    PST_CHK_CYCLE,              /* page or block reached twice */
    PST_CHK_BLOCK,              /* trailer, signature, bounds, block-tree structure */
    PST_CHK_BLOCK_CRC,
    PST_CHK_MISSING,            /* a referenced BID / NID does not exist */
    PST_CHK_REFCOUNT,           /* cRef != references + 1 */
    PST_CHK_AMAP,               /* AMap page, used-but-free, overlap, cbAMapFree, fAMapValid */
    PST_CHK_AMAP_LEAK,          /* allocated but referenced by nothing */
    PST_CHK_LTP,                /* HN / BTH / PC / TC structure */
    PST_CHK_MESSAGING,          /* denormalised data: tables vs objects */
    PST_CHK_ABORTED             /* the check could not continue (I/O error, no memory) */
};

struct pst_finding
{
    enum pst_check_code code;
    uint64_t offset;     /* file offset or ~0 */
    uint32_t nid;        /* or 0 */
    uint64_t bid;        /* or 0 */
    const char *message;
};

/* Checks everything, calling cb for every finding.  Returns PST_OK when the
 * walk completed (findings or not); *count gets the number of findings. */
int pst_check(struct pst_file *file, void (*cb)(void *ctx, const struct pst_finding *finding),
              void *ctx, unsigned int *count);
const char *pst_check_code_name(enum pst_check_code code);

#ifdef __cplusplus
}
#endif

#endif /* __WINE_PST_H */
