/*
 * winepst: the PST strict checker for tools (WinePstCheckFile)
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

/*
 * MAPI has no interface for checking a file's format, so tools (mapitool
 * check) reach the engine's checker through this private export instead of
 * linking the engine a second time.  It opens the file read-only on its own,
 * outside any store logon, so it needs none of the COM layer's locks.
 * Progress is measured by wrapping the file's io: the bytes the checker has
 * read so far against the file size (the checker reads most of the file
 * once; re-reads are capped at the size).
 */

#include <stdio.h>
#include <stdlib.h>

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

typedef void (CALLBACK *check_finding_cb)( void *ctx, const char *code, ULONGLONG offset, ULONG nid,
                                           ULONGLONG bid, const char *message );
typedef void (CALLBACK *check_progress_cb)( void *ctx, ULONGLONG done, ULONGLONG total );

struct progress_io
{
    struct pst_io io;
    struct pst_io *inner;
    uint64_t size;
    uint64_t read;
    check_progress_cb progress;
    void *ctx;
};

static int progress_read( struct pst_io *io, uint64_t offset, void *buf, size_t len )
{
    struct progress_io *p = CONTAINING_RECORD( io, struct progress_io, io );
    int ret = p->inner->read( p->inner, offset, buf, len );

    p->read += len;
    if (p->progress) p->progress( p->ctx, min( p->read, p->size ), p->size );
    return ret;
}

static int progress_write( struct pst_io *io, uint64_t offset, const void *buf, size_t len )
{
    /* the checker never writes */
    return PST_E_READ_ONLY;
}

static int progress_flush( struct pst_io *io )
{
    return PST_OK;
}

static int progress_get_size( struct pst_io *io, uint64_t *size )
{
    struct progress_io *p = CONTAINING_RECORD( io, struct progress_io, io );

    return p->inner->get_size( p->inner, size );
}

static int progress_set_size( struct pst_io *io, uint64_t size )
{
    return PST_E_READ_ONLY;
}

static void progress_close( struct pst_io *io )
{
}

struct finding_ctx
{
    check_finding_cb finding;
    void *ctx;
};

static void finding_callback( void *ctx, const struct pst_finding *finding )
{
    struct finding_ctx *f = ctx;

    if (f->finding) f->finding( f->ctx, pst_check_code_name( finding->code ), finding->offset, finding->nid,
                                finding->bid, finding->message ? finding->message : "" );
}

/* Runs the strict checker on the PST file at path.  Every finding goes to
 * finding(); progress() gets the bytes read so far and the file size.
 * Returns S_OK when the check completed, whatever it found (*count says how
 * much); a MAPI error, with a description in error, when the file could not
 * be opened or the check could not run. */
HRESULT WINAPI WinePstCheckFile( const WCHAR *path, check_finding_cb finding, check_progress_cb progress,
                                 void *ctx, ULONG *count, char *error, DWORD error_size )
{
    struct progress_io wrapper;
    struct finding_ctx fctx = { finding, ctx };
    struct pst_file *file;
    struct pst_io *io;
    unsigned int found = 0;
    char message[512] = "";
    int err;

    TRACE( "%s, %p, %p, %p, %p, %p, %lu.\n", debugstr_w(path), finding, progress, ctx, count, error, error_size );

    if (count) *count = 0;
    if (error && error_size) error[0] = 0;
    if (!path || !count) return MAPI_E_INVALID_PARAMETER;

    if ((err = pst_io_open_file_w( (const uint16_t *)path, 0, &io )))
    {
        if (error && error_size) snprintf( error, error_size, "cannot open the file: %s", pst_strerror( err ) );
        return hresult_from_pst( err );
    }
    memset( &wrapper, 0, sizeof(wrapper) );
    wrapper.io.read = progress_read;
    wrapper.io.write = progress_write;
    wrapper.io.flush = progress_flush;
    wrapper.io.get_size = progress_get_size;
    wrapper.io.set_size = progress_set_size;
    wrapper.io.close = progress_close;
    wrapper.inner = io;
    wrapper.progress = progress;
    wrapper.ctx = ctx;
    io->get_size( io, &wrapper.size );

    if ((err = pst_open( &wrapper.io, NULL, &file, message, sizeof(message) )))
    {
        if (error && error_size) snprintf( error, error_size, "not a readable PST file: %s", message );
        io->close( io );
        return hresult_from_pst( err );
    }
    err = pst_check( file, finding_callback, &fctx, &found );
    if (err && error && error_size) snprintf( error, error_size, "the check stopped: %s", pst_last_error( file ) );
    pst_close( file );
    io->close( io );
    *count = found;
    if (progress && !err) progress( ctx, wrapper.size, wrapper.size );
    return err ? hresult_from_pst( err ) : S_OK;
}
