/*
 * PST engine: io backends (file, memory, fault injection)
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * The engine reaches storage only through struct pst_io.  The reader uses
 * read and get_size; write, flush and set_size are implemented now so that
 * the copy-on-write writer can be added without touching the backends.
 */

#ifndef _WIN32
/* pread/pwrite/ftruncate/fsync under -std=c99 */
#define _XOPEN_SOURCE 700
#define _FILE_OFFSET_BITS 64
#endif

#include <stdlib.h>

#ifdef _WIN32
#include <stdarg.h>
#include "windef.h"
#include "winbase.h"
#include "winnls.h"
#else
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "pst_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(pst);

/* ---------------------------------------------------------------- file -- */

#define HEAD_SIZE 564

#ifdef _WIN32
/* Read windows of the Win32 backend.  Under Wine every ReadFile is a
 * system call or more (about 3 us for a block, 10 us for 64 KiB; see
 * read_at), and opening one message costs the engine several small reads
 * (B-tree pages, then the message's blocks, which lie near those of the
 * messages before it).  So small reads are served from a few windows of
 * WINDOW_SIZE bytes read at once, reused in LRU order (32 KiB windows, or
 * none, measured slower reading a folder's messages in turn).  They
 * hold raw bytes only: the engine still verifies every page and block it
 * takes from them.  Why they are never stale: every write through this io
 * is copied into the windows it overlaps (a failed one drops them), and
 * set_size drops all of them; a reader
 * only reads what the state it opened (its header snapshot) uses, which a
 * writer in another process leaves alone while the reader lock is held
 * (see READER_LOCK below), so bytes another process writes later are
 * never asked for.
 * The first window of a file reads WINDOW_FIRST bytes, each one after
 * twice as many as the one before, up to WINDOW_SIZE: opening a store
 * reads a few pages only (B-tree roots, the store's node), and every byte
 * read is copied by the system, into pages the heap may have given back
 * since the last file was closed (a page fault per 4 KiB).  A logon/logoff
 * cycle read 192 KiB with 64 KiB windows from the start, 28 KiB now. */
#define WINDOW_FIRST    0x1000
#define WINDOW_SIZE     0x10000
#define WINDOW_COUNT    4
#define WINDOW_ALIGN    0x1000
/* larger reads go to the file; any smaller one fits in a window started
 * at its offset rounded down to WINDOW_ALIGN */
#define WINDOW_MAX_READ (WINDOW_SIZE - WINDOW_ALIGN)

struct read_window
{
    uint64_t offset;
    DWORD len;                  /* bytes held; 0 when empty */
    uint64_t stamp;             /* last use */
    uint8_t *data;              /* WINDOW_SIZE bytes, allocated on first use */
};
#endif

struct file_io
{
    struct pst_io io;
    int writable;
#ifdef _WIN32
    HANDLE handle;
    /* a reader's header and file size, read together at open */
    int snapshot;
    uint8_t head[HEAD_SIZE];
    size_t head_len;
    uint64_t size;
    struct read_window windows[WINDOW_COUNT];
    uint64_t clock;
    DWORD fill;                 /* bytes the next window reads; 0 before the first */
#else
    int fd;
#endif
};

#ifdef _WIN32

/* Readers and the writer of one file in different processes (pst.h, "One
 * writer per file").  A commit writes only to space the committed state
 * does not use, but the space it frees is reused by the next commits, and
 * the header is rewritten in place.  So that the state a reader opened
 * stays readable, every reader holds a shared lock on READER_LOCK while it
 * has the file open, and the writer keeps freed space from reuse while it
 * cannot lock that byte (pst_io_readers, pst_write.c's release_freed).
 * The byte lies far past any data, so the lock blocks no read or write.
 *
 * The header needs no lock (under Wine each lock or unlock is a wineserver
 * round trip: two per open and six per commit when a lock guarded it).  A
 * reader reads the header first, the file size after, and takes the
 * header only once its CRCs hold:
 * - the writer writes the header with one write of its 564 bytes; a read
 *   racing with it may mix the old and the new bytes, but every byte that
 *   names the state lies under dwCRCPartial (8-478) or dwCRCFull (8-523),
 *   so a mixed header fails its CRCs (but for a 2^-32 chance), and is read
 *   again until it holds (reader_snapshot); a header that keeps failing
 *   is handed on as it is, for the engine to judge (a write cut short
 *   by a power loss, or corruption: pst_ndb.c, parse_header);
 * - the file grows before any header names the new space (pst.h, commit
 *   protocol: blocks and set_size, flush, then the header), and ibFileEof
 *   never shrinks (a writer only truncates to the committed end), so a
 *   size read after the header covers everything that header names;
 * - only Unicode files are written (pst_write.c), and their header carries
 *   both CRCs; an ANSI file has no writer, so its header never changes. */
#define READER_LOCK 0x4000000000000000ull

/* 0, or the error; TRIES attempts 1 ms apart while another handle holds it */
static DWORD lock_byte(HANDLE handle, uint64_t offset, BOOL exclusive, unsigned int tries)
{
    OVERLAPPED ov;
    DWORD err = 0;

    while (tries--)
    {
        memset(&ov, 0, sizeof(ov));
        ov.Offset = (DWORD)offset;
        ov.OffsetHigh = (DWORD)(offset >> 32);
        if (LockFileEx(handle, LOCKFILE_FAIL_IMMEDIATELY | (exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0), 0, 1, 0, &ov))
            return 0;
        if ((err = GetLastError()) != ERROR_LOCK_VIOLATION) break;
        if (tries) Sleep(1);
    }
    return err;
}

static void unlock_byte(HANDLE handle, uint64_t offset)
{
    OVERLAPPED ov;

    memset(&ov, 0, sizeof(ov));
    ov.Offset = (DWORD)offset;
    ov.OffsetHigh = (DWORD)(offset >> 32);
    UnlockFileEx(handle, 0, 1, 0, &ov);
}

/* Drops the windows holding any byte of [offset, offset + len). */
static void windows_drop(struct file_io *f, uint64_t offset, uint64_t len)
{
    unsigned int i;

    for (i = 0; i < WINDOW_COUNT; i++)
    {
        struct read_window *w = &f->windows[i];

        if (w->len && offset < w->offset + w->len && w->offset < offset + len) w->len = 0;
    }
}

/* Copies the bytes just written at OFFSET into the windows holding any of
 * them.  Dropping those windows instead cost a writer about five refills
 * of 64 KiB per commit: a commit's writes land all over the area its
 * reads come from (the B-tree pages, the folder's table), and the next
 * commit read it all again. */
static void windows_update(struct file_io *f, uint64_t offset, const uint8_t *p, uint64_t len)
{
    unsigned int i;

    for (i = 0; i < WINDOW_COUNT; i++)
    {
        struct read_window *w = &f->windows[i];
        uint64_t lo = offset > w->offset ? offset : w->offset;
        uint64_t hi = offset + len < w->offset + w->len ? offset + len : w->offset + w->len;

        if (w->len && lo < hi) memcpy(w->data + (lo - w->offset), p + (lo - offset), (size_t)(hi - lo));
    }
}

/* Reads up to LEN bytes at OFFSET.  Not with an OVERLAPPED offset: under
 * Wine a ReadFile given one also posts a completion, a wineserver round
 * trip (16 us and more) per read, against about 3 us for moving the file
 * pointer and reading; calls on one file are serialised (pst.h, THREAD
 * SAFETY), so nothing moves the pointer in between. */
static BOOL read_at(struct file_io *f, uint64_t offset, void *buf, DWORD len, DWORD *got)
{
    LARGE_INTEGER li;

    *got = 0;
    li.QuadPart = (LONGLONG)offset;
    return SetFilePointerEx(f->handle, li, NULL, FILE_BEGIN) && ReadFile(f->handle, buf, len, got, NULL);
}

/* How often a reader reads a header whose CRCs fail before it takes it as
 * it is, 1 ms apart after the first retries: a torn read lasts as long as
 * one write of 564 bytes; a corrupt file costs the reader about 0.1 s at
 * open, once. */
#define HEADER_TRIES 100

/* FALSE when the LEN bytes read at offset 0 are a Unicode header whose
 * CRCs fail: torn by a write, or corrupt.  Nothing writes other headers. */
static BOOL header_whole(const uint8_t *h, size_t len)
{
    WORD ver;

    if (len < HEAD_SIZE || memcmp(h, "!BDN", 4)) return TRUE;
    ver = h[10] | (h[11] << 8);
    if (ver < 23 || ver >= 36) return TRUE;
    return pst_crc32(0, h + 8, 471) == pst_rd32(h + 4) && pst_crc32(0, h + 8, 516) == pst_rd32(h + 524);
}

/* The reader's header and file size (see READER_LOCK). */
static void reader_snapshot(struct file_io *f)
{
    LARGE_INTEGER li;
    DWORD got = 0, err;
    unsigned int tries;

    if ((err = lock_byte(f->handle, READER_LOCK, FALSE, 2000)))
        WARN("no reader lock (%lu): a writer in another process may reuse what this reader reads\n", err);
    for (tries = 1;; tries++)
    {
        if (!read_at(f, 0, f->head, HEAD_SIZE, &got)) return;
        if (header_whole(f->head, got) || tries == HEADER_TRIES) break;
        TRACE("header CRCs fail (read %u): torn by a write, or corrupt\n", tries);
        Sleep(tries > 2);
    }
    if (!GetFileSizeEx(f->handle, &li)) return;
    f->size = (uint64_t)li.QuadPart;
    f->head_len = got;
    f->snapshot = 1;
}

/* Serves a read of at most WINDOW_MAX_READ bytes from a window, filling
 * one if none holds it; FALSE when the file must be read directly (a
 * failed or short window read: past the end of the file). */
static BOOL window_read(struct file_io *f, uint64_t offset, uint8_t *p, size_t len)
{
    struct read_window *w, *victim = NULL;
    DWORD got, need;
    unsigned int i;

    for (i = 0; i < WINDOW_COUNT; i++)
    {
        w = &f->windows[i];
        if (w->len && offset >= w->offset && offset + len <= w->offset + w->len)
        {
            memcpy(p, w->data + (offset - w->offset), len);
            w->stamp = ++f->clock;
            return TRUE;
        }
        if (!victim || !w->len || (victim->len && w->stamp < victim->stamp)) victim = w;
    }
    if (!victim->data && !(victim->data = malloc(WINDOW_SIZE))) return FALSE;
    victim->len = 0;
    victim->offset = offset & ~(uint64_t)(WINDOW_ALIGN - 1);
    /* at most WINDOW_SIZE: LEN is at most WINDOW_MAX_READ */
    need = (DWORD)((offset + len - victim->offset + WINDOW_ALIGN - 1) & ~(uint64_t)(WINDOW_ALIGN - 1));
    f->fill = !f->fill ? WINDOW_FIRST : f->fill < WINDOW_SIZE ? f->fill * 2 : WINDOW_SIZE;
    if (!read_at(f, victim->offset, victim->data, need > f->fill ? need : f->fill, &got)) return FALSE;
    victim->len = got;
    victim->stamp = ++f->clock;
    if (offset + len > victim->offset + got) return FALSE;
    memcpy(p, victim->data + (offset - victim->offset), len);
    return TRUE;
}

static int file_read(struct pst_io *io, uint64_t offset, void *buf, size_t len)
{
    struct file_io *f = (struct file_io *)io;
    uint8_t *p = buf;

    if (f->snapshot && offset < f->head_len)
    {
        size_t n = len < f->head_len - offset ? len : (size_t)(f->head_len - offset);

        memcpy(p, f->head + offset, n);
        p += n;
        offset += n;
        len -= n;
    }
    if (len && len <= WINDOW_MAX_READ && window_read(f, offset, p, len)) return PST_OK;
    while (len)
    {
        DWORD chunk = len > 0x10000000 ? 0x10000000 : (DWORD)len, got;

        if (!read_at(f, offset, p, chunk, &got) || !got) return PST_E_IO;
        p += got;
        offset += got;
        len -= got;
    }
    return PST_OK;
}

static int file_write(struct pst_io *io, uint64_t offset, const void *buf, size_t len)
{
    struct file_io *f = (struct file_io *)io;
    const uint8_t *p = buf;
    int ret = PST_OK;

    if (!f->writable) return PST_E_READ_ONLY;
    while (len)
    {
        DWORD chunk = len > 0x10000000 ? 0x10000000 : (DWORD)len, done = 0;
        LARGE_INTEGER li;

        /* Not an OVERLAPPED offset: under Wine a WriteFile given an
         * OVERLAPPED that completes at once also posts a completion, one
         * wineserver round trip per write (dozens per commit).  Moving the
         * file pointer first costs none; calls on one file are serialised
         * (pst.h, THREAD SAFETY), so nothing moves it in between. */
        li.QuadPart = (LONGLONG)offset;
        if (!SetFilePointerEx(f->handle, li, NULL, FILE_BEGIN) || !WriteFile(f->handle, p, chunk, &done, NULL) || !done)
        {
            /* what the file holds now is unknown */
            windows_drop(f, offset, len);
            ret = PST_E_IO;
            break;
        }
        windows_update(f, offset, p, done);
        p += done;
        offset += done;
        len -= done;
    }
    return ret;
}

static int file_flush(struct pst_io *io)
{
    struct file_io *f = (struct file_io *)io;

    if (!f->writable) return PST_OK;
    return FlushFileBuffers(f->handle) ? PST_OK : PST_E_IO;
}

static int file_get_size(struct pst_io *io, uint64_t *size)
{
    struct file_io *f = (struct file_io *)io;
    LARGE_INTEGER li;

    /* a reader's size goes with its header */
    if (f->snapshot)
    {
        *size = f->size;
        return PST_OK;
    }
    if (!GetFileSizeEx(f->handle, &li)) return PST_E_IO;
    *size = (uint64_t)li.QuadPart;
    return PST_OK;
}

static int file_set_size(struct pst_io *io, uint64_t size)
{
    struct file_io *f = (struct file_io *)io;
    LARGE_INTEGER li;

    if (!f->writable) return PST_E_READ_ONLY;
    windows_drop(f, 0, ~(uint64_t)0);
    li.QuadPart = (LONGLONG)size;
    if (!SetFilePointerEx(f->handle, li, NULL, FILE_BEGIN) || !SetEndOfFile(f->handle)) return PST_E_IO;
    return PST_OK;
}

static void file_close(struct pst_io *io)
{
    struct file_io *f = (struct file_io *)io;
    unsigned int i;

    CloseHandle(f->handle);
    for (i = 0; i < WINDOW_COUNT; i++) free(f->windows[i].data);
    free(f);
}

#else /* _WIN32 */

static int file_read(struct pst_io *io, uint64_t offset, void *buf, size_t len)
{
    struct file_io *f = (struct file_io *)io;
    uint8_t *p = buf;

    while (len)
    {
        ssize_t got = pread(f->fd, p, len, (off_t)offset);

        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return PST_E_IO;
        p += got;
        offset += (uint64_t)got;
        len -= (size_t)got;
    }
    return PST_OK;
}

static int file_write(struct pst_io *io, uint64_t offset, const void *buf, size_t len)
{
    struct file_io *f = (struct file_io *)io;
    const uint8_t *p = buf;

    if (!f->writable) return PST_E_READ_ONLY;
    while (len)
    {
        ssize_t done = pwrite(f->fd, p, len, (off_t)offset);

        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) return PST_E_IO;
        p += done;
        offset += (uint64_t)done;
        len -= (size_t)done;
    }
    return PST_OK;
}

static int file_flush(struct pst_io *io)
{
    struct file_io *f = (struct file_io *)io;

    if (!f->writable) return PST_OK;
    return fsync(f->fd) ? PST_E_IO : PST_OK;
}

static int file_get_size(struct pst_io *io, uint64_t *size)
{
    struct file_io *f = (struct file_io *)io;
    struct stat st;

    if (fstat(f->fd, &st)) return PST_E_IO;
    *size = (uint64_t)st.st_size;
    return PST_OK;
}

static int file_set_size(struct pst_io *io, uint64_t size)
{
    struct file_io *f = (struct file_io *)io;

    if (!f->writable) return PST_E_READ_ONLY;
    return ftruncate(f->fd, (off_t)size) ? PST_E_IO : PST_OK;
}

static void file_close(struct pst_io *io)
{
    struct file_io *f = (struct file_io *)io;

    close(f->fd);
    free(f);
}

#endif /* _WIN32 */

#ifndef _WIN32
#if defined(__linux__) && !defined(F_OFD_SETLK)
#define F_OFD_SETLK 37
#endif

/* The writer lock: a write lock on the whole file.  Open-file-description
 * locks (Linux) also exclude a second writer in the same process; classic
 * POSIX locks, the fallback, only exclude other processes.  The lock goes
 * away with the descriptor, so a killed writer never leaves a stale lock. */
static int lock_writer(int fd)
{
    struct flock fl;

    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
#ifdef F_OFD_SETLK
    if (!fcntl(fd, F_OFD_SETLK, &fl)) return PST_OK;
    if (errno == EAGAIN || errno == EACCES) return PST_E_LOCKED;
    if (errno != EINVAL) return PST_E_IO;
#endif
    if (!fcntl(fd, F_SETLK, &fl)) return PST_OK;
    return errno == EAGAIN || errno == EACCES ? PST_E_LOCKED : PST_E_IO;
}
#endif

static struct file_io *file_io_new(unsigned int flags)
{
    struct file_io *f = calloc(1, sizeof(*f));

    if (!f) return NULL;
    f->io.read = file_read;
    f->io.write = file_write;
    f->io.flush = file_flush;
    f->io.get_size = file_get_size;
    f->io.set_size = file_set_size;
    f->io.close = file_close;
    f->writable = !!(flags & PST_IO_WRITE);
    return f;
}

int pst_io_open_file_w(const uint16_t *path, unsigned int flags, struct pst_io **io)
{
#ifdef _WIN32
    struct file_io *f;
    DWORD access = GENERIC_READ | ((flags & PST_IO_WRITE) ? GENERIC_WRITE : 0);

    TRACE("%s %#x\n", debugstr_w((const WCHAR *)path), flags);
    if (!path || !io) return PST_E_INVALID_ARG;
    *io = NULL;
    if (!(f = file_io_new(flags))) return PST_E_NOMEM;
    /* Readers share with other readers; a writer excludes other writers. */
    /* The share mode is the writer lock: a second writer (or an open while a
     * writer holds the file) fails with a sharing violation, before
     * CREATE_ALWAYS could truncate anything. */
    f->handle = CreateFileW((const WCHAR *)path, access,
                            FILE_SHARE_READ | ((flags & PST_IO_WRITE) ? 0 : FILE_SHARE_WRITE), NULL,
                            (flags & PST_IO_WRITE) && (flags & PST_IO_CREATE) ? CREATE_ALWAYS : OPEN_EXISTING,
                            FILE_ATTRIBUTE_NORMAL, NULL);
    if (f->handle == INVALID_HANDLE_VALUE)
    {
        DWORD err = GetLastError();

        free(f);
        if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND) return PST_E_NOT_FOUND;
        if (err == ERROR_SHARING_VIOLATION || err == ERROR_LOCK_VIOLATION) return PST_E_LOCKED;
        return PST_E_IO;
    }
    if (!(flags & PST_IO_WRITE)) reader_snapshot(f);
    *io = &f->io;
    return PST_OK;
#else
    (void)path;
    (void)flags;
    if (io) *io = NULL;
    return PST_E_UNSUPPORTED;
#endif
}

int pst_io_open_file(const char *path, unsigned int flags, struct pst_io **io)
{
#ifdef _WIN32
    WCHAR *wpath;
    int len, ret;

    if (!path || !io) return PST_E_INVALID_ARG;
    *io = NULL;
    if (!(len = MultiByteToWideChar(CP_UTF8, 0, path, -1, NULL, 0))) return PST_E_INVALID_ARG;
    if (!(wpath = malloc(len * sizeof(WCHAR)))) return PST_E_NOMEM;
    MultiByteToWideChar(CP_UTF8, 0, path, -1, wpath, len);
    ret = pst_io_open_file_w((const uint16_t *)wpath, flags, io);
    free(wpath);
    return ret;
#else
    struct file_io *f;

    TRACE("%s %#x\n", debugstr_a(path), flags);
    if (!path || !io) return PST_E_INVALID_ARG;
    *io = NULL;
    if (!(f = file_io_new(flags))) return PST_E_NOMEM;
    f->fd = open(path, (flags & PST_IO_WRITE) ? O_RDWR | ((flags & PST_IO_CREATE) ? O_CREAT : 0) : O_RDONLY, 0666);
    if (f->fd < 0)
    {
        int err = errno;

        free(f);
        return err == ENOENT ? PST_E_NOT_FOUND : PST_E_IO;
    }
    if (flags & PST_IO_WRITE)
    {
        int ret = lock_writer(f->fd);

        /* Truncate only once the lock is ours: never under another writer. */
        if (!ret && (flags & PST_IO_CREATE) && ftruncate(f->fd, 0)) ret = PST_E_IO;
        if (ret)
        {
            close(f->fd);
            free(f);
            return ret;
        }
    }
    *io = &f->io;
    return PST_OK;
#endif
}

int pst_io_readers(struct pst_io *io)
{
#ifdef _WIN32
    struct file_io *f = (struct file_io *)io;
    DWORD err;

    if (!io || io->close != file_close || !f->writable) return 0;
    if ((err = lock_byte(f->handle, READER_LOCK, TRUE, 1))) return err == ERROR_LOCK_VIOLATION;
    unlock_byte(f->handle, READER_LOCK);
    return 0;
#else
    /* POSIX readers take no lock: one process (native tools) at a time */
    (void)io;
    return 0;
#endif
}

/* -------------------------------------------------------------- memory -- */

struct mem_io
{
    struct pst_io io;
    uint8_t *data;
    size_t size;
    size_t capacity;
    int owned;
};

static int mem_read(struct pst_io *io, uint64_t offset, void *buf, size_t len)
{
    struct mem_io *m = (struct mem_io *)io;

    if (offset > m->size || len > m->size - offset) return PST_E_IO;
    memcpy(buf, m->data + offset, len);
    return PST_OK;
}

static int mem_grow(struct mem_io *m, uint64_t size)
{
    uint8_t *data;
    size_t cap;

    if (size > (uint64_t)((size_t)-1 / 2)) return PST_E_NOMEM;
    if (size <= m->capacity) return PST_OK;
    cap = m->capacity ? m->capacity : 4096;
    while (cap < size) cap *= 2;
    if (!(data = realloc(m->data, cap))) return PST_E_NOMEM;
    m->data = data;
    m->capacity = cap;
    return PST_OK;
}

static int mem_write(struct pst_io *io, uint64_t offset, const void *buf, size_t len)
{
    struct mem_io *m = (struct mem_io *)io;
    int ret;

    if (!m->owned) return PST_E_READ_ONLY;
    if (offset + len < offset) return PST_E_INVALID_ARG;
    if ((ret = mem_grow(m, offset + len))) return ret;
    if (offset > m->size) memset(m->data + m->size, 0, (size_t)offset - m->size);
    memcpy(m->data + offset, buf, len);
    if (offset + len > m->size) m->size = (size_t)(offset + len);
    return PST_OK;
}

static int mem_flush(struct pst_io *io)
{
    (void)io;
    return PST_OK;
}

static int mem_get_size(struct pst_io *io, uint64_t *size)
{
    *size = ((struct mem_io *)io)->size;
    return PST_OK;
}

static int mem_set_size(struct pst_io *io, uint64_t size)
{
    struct mem_io *m = (struct mem_io *)io;
    int ret;

    if (!m->owned) return PST_E_READ_ONLY;
    if ((ret = mem_grow(m, size))) return ret;
    if (size > m->size) memset(m->data + m->size, 0, (size_t)size - m->size);
    m->size = (size_t)size;
    return PST_OK;
}

static void mem_close(struct pst_io *io)
{
    struct mem_io *m = (struct mem_io *)io;

    if (m->owned) free(m->data);
    free(m);
}

int pst_io_open_memory(const void *data, size_t size, int copy, struct pst_io **io)
{
    struct mem_io *m;

    if (!io || (!data && size)) return PST_E_INVALID_ARG;
    *io = NULL;
    if (!(m = calloc(1, sizeof(*m)))) return PST_E_NOMEM;
    m->io.read = mem_read;
    m->io.write = mem_write;
    m->io.flush = mem_flush;
    m->io.get_size = mem_get_size;
    m->io.set_size = mem_set_size;
    m->io.close = mem_close;
    m->size = size;
    if (copy)
    {
        m->owned = 1;
        m->capacity = size;
        if (!(m->data = malloc(size ? size : 1)))
        {
            free(m);
            return PST_E_NOMEM;
        }
        if (size) memcpy(m->data, data, size);
    }
    else m->data = (uint8_t *)data;
    *io = &m->io;
    return PST_OK;
}

/* ------------------------------------------------------ fault injection -- */

struct fault_io
{
    struct pst_io io;
    struct pst_io *inner;
    struct pst_fault *fault;
};

static int fault_hit(unsigned int *counter, unsigned int fail_at)
{
    ++*counter;
    return fail_at && *counter == fail_at;
}

static int fault_read(struct pst_io *io, uint64_t offset, void *buf, size_t len)
{
    struct fault_io *f = (struct fault_io *)io;

    if (fault_hit(&f->fault->reads, f->fault->fail_read)) return PST_E_IO;
    return f->inner->read(f->inner, offset, buf, len);
}

static int fault_write(struct pst_io *io, uint64_t offset, const void *buf, size_t len)
{
    struct fault_io *f = (struct fault_io *)io;

    if (fault_hit(&f->fault->writes, f->fault->fail_write)) return PST_E_IO;
    return f->inner->write(f->inner, offset, buf, len);
}

static int fault_flush(struct pst_io *io)
{
    struct fault_io *f = (struct fault_io *)io;

    if (fault_hit(&f->fault->flushes, f->fault->fail_flush)) return PST_E_IO;
    return f->inner->flush(f->inner);
}

static int fault_get_size(struct pst_io *io, uint64_t *size)
{
    struct fault_io *f = (struct fault_io *)io;

    return f->inner->get_size(f->inner, size);
}

static int fault_set_size(struct pst_io *io, uint64_t size)
{
    struct fault_io *f = (struct fault_io *)io;

    /* A failed resize is a write failure for the writer. */
    if (fault_hit(&f->fault->writes, f->fault->fail_write)) return PST_E_IO;
    return f->inner->set_size(f->inner, size);
}

static void fault_close(struct pst_io *io)
{
    free(io);
}

int pst_io_open_fault(struct pst_io *inner, struct pst_fault *fault, struct pst_io **io)
{
    struct fault_io *f;

    if (!inner || !fault || !io) return PST_E_INVALID_ARG;
    *io = NULL;
    if (!(f = calloc(1, sizeof(*f)))) return PST_E_NOMEM;
    f->io.read = fault_read;
    f->io.write = fault_write;
    f->io.flush = fault_flush;
    f->io.get_size = fault_get_size;
    f->io.set_size = fault_set_size;
    f->io.close = fault_close;
    f->inner = inner;
    f->fault = fault;
    *io = &f->io;
    return PST_OK;
}

static void *fault_alloc(void *ctx, size_t size)
{
    struct pst_fault *fault = ctx;

    if (fault_hit(&fault->allocs, fault->fail_alloc)) return NULL;
    return malloc(size);
}

static void *fault_realloc(void *ctx, void *ptr, size_t size)
{
    struct pst_fault *fault = ctx;

    if (fault_hit(&fault->allocs, fault->fail_alloc)) return NULL;
    return realloc(ptr, size);
}

static void fault_free(void *ctx, void *ptr)
{
    (void)ctx;
    free(ptr);
}

void pst_fault_allocator(struct pst_fault *fault, struct pst_allocator *out)
{
    out->alloc = fault_alloc;
    out->realloc = fault_realloc;
    out->free = fault_free;
    out->ctx = fault;
}
