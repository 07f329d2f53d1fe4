/*
 * winepst: a read-only IStream over one property of a PST object
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
 * The bytes of a stream are the property's stored encoding: PT_BINARY as
 * is, PT_UNICODE as UTF-16LE and PT_STRING8 as 8-bit text, both without a
 * terminating NUL (the PST file stores none, and IStream::Stat's cbSize is
 * the value's byte count).  Asking for the other string type converts the
 * whole value once, in the ANSI code page; asking for PT_BINARY of a value
 * stored as a string (ANSI stores keep PR_HTML as PT_STRING8) gives its
 * stored bytes.
 *
 * A value small enough to live in the object's heap is copied when the
 * stream is created: the engine's stream would point into the heap of the
 * object, and clients may release the message and keep the stream.  Larger
 * values live in their own data tree, which the engine stream reads a block
 * at a time without the object, so XXBLOCK-sized attachments are never
 * loaded whole.  Clones share that source.
 *
 * After the logon dies every method but AddRef and Release answers
 * STG_E_REVERTED, IStream's documented code for a stream whose storage went
 * away; clients of IStream test for it, not for MAPI codes.
 *
 * STALE HANDLES  A commit through the logon may free the blocks of the
 * engine stream (copy-on-write: the space becomes reusable by the next
 * transaction), so an engine source remembers where its object lives
 * (struct object_path) and the commit it was opened at.  At the first call
 * after a later commit it reopens the object and the value and goes on at
 * the same position.  When the object or the value is gone, or the value
 * changed size (another value took its place: reading on would mix two
 * values), the source is reverted: every method of the stream and its
 * clones but AddRef and Release answers STG_E_REVERTED, as after logoff.
 * Values copied at creation are snapshots and never go stale.
 */

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

/* heap-allocated values are far smaller; everything up to this is copied */
#define STREAM_COPY_LIMIT (64 * 1024)

/* The bytes behind a stream and its clones; fields guarded by the logon lock. */
struct stream_source
{
    ULONG refcount;            /* one per stream sharing it */
    BYTE *data;                /* the whole value, or NULL */
    struct pst_stream *engine; /* the value's data tree, or NULL */
    ULONGLONG size;
    /* engine sources only: for reopening after a commit */
    struct object_path path;   /* of the object holding the value */
    ULONG tag;                 /* the stored tag opened */
    ULONG generation;          /* logon->generation engine was opened at */
    BOOL reverted;             /* the value is gone: STG_E_REVERTED */
};

struct stream
{
    IStream IStream_iface;
    LONG refcount;
    struct store_child child;
    struct stream_source *source;   /* NULL once invalidated */
    ULONGLONG position;
};

static inline struct stream *impl_from_IStream( IStream *iface )
{
    return CONTAINING_RECORD( iface, struct stream, IStream_iface );
}

static void source_release( struct stream_source *source )
{
    if (--source->refcount) return;
    if (source->engine) pst_stream_close( source->engine );
    object_path_free( &source->path );
    free( source->data );
    free( source );
}

/* Lock held: at logoff (before the file closes) or when the stream is freed. */
static void stream_invalidate( struct store_child *child )
{
    struct stream *stream = CONTAINING_RECORD( child, struct stream, child );

    if (stream->source) source_release( stream->source );
    stream->source = NULL;
}

/* Lock held.  Reopens an engine source opened before the last commit. */
static HRESULT source_refresh( struct store_logon *logon, struct stream_source *source )
{
    struct pst_stream *engine;
    struct pst_object *obj;
    HRESULT hr;
    int err;

    if (source->reverted) return STG_E_REVERTED;
    if (!source->engine || source->generation == logon->generation) return S_OK;
    /* never read through a handle of an older commit */
    if (FAILED(hr = object_path_open( logon, &source->path, &obj )))
    {
        WARN( "the object of the stream: %#lx.\n", hr );
        if (hr != MAPI_E_OBJECT_DELETED) return hr == MAPI_E_NOT_ENOUGH_MEMORY ? STG_E_INSUFFICIENTMEMORY : STG_E_READFAULT;
        hr = STG_E_REVERTED;
    }
    else
    {
        if ((err = pst_prop_open_stream( obj, source->tag, &engine )))
        {
            WARN( "the value %#lx: %s.\n", source->tag, debugstr_a(pst_last_error( logon->file )) );
            hr = err == PST_E_NOT_FOUND ? STG_E_REVERTED : err == PST_E_NOMEM ? STG_E_INSUFFICIENTMEMORY
                                                                               : STG_E_READFAULT;
        }
        else if (pst_stream_size( engine ) != source->size)
        {
            WARN( "the value %#lx changed size.\n", source->tag );
            pst_stream_close( engine );
            hr = STG_E_REVERTED;
        }
        else
        {
            pst_stream_close( source->engine );
            source->engine = engine;
            source->generation = logon->generation;
        }
        pst_object_close( obj );
        if (hr != STG_E_REVERTED) return hr;
    }
    pst_stream_close( source->engine );
    source->engine = NULL;
    source->reverted = TRUE;
    return hr;
}

/* Enters the logon (S_OK, lock held); on failure nothing is held. */
static HRESULT stream_enter( struct stream *stream )
{
    HRESULT hr;

    if (!store_child_enter( &stream->child )) return STG_E_REVERTED;
    if (FAILED(hr = source_refresh( stream->child.logon, stream->source ))) store_child_leave( &stream->child );
    return hr;
}

static void stream_leave( struct stream *stream )
{
    store_child_leave( &stream->child );
}

/* Lock held.  Reads up to size bytes at the position and advances it. */
static HRESULT stream_read_locked( struct stream *stream, void *buffer, ULONG size, ULONG *read )
{
    struct stream_source *source = stream->source;
    size_t done = 0;
    int err;

    *read = 0;
    if (stream->position >= source->size) return S_OK;
    if (size > source->size - stream->position) size = source->size - stream->position;
    if (source->data)
    {
        memcpy( buffer, source->data + stream->position, size );
        done = size;
    }
    else
    {
        while (done < size)
        {
            size_t chunk;

            if ((err = pst_stream_read( source->engine, stream->position + done, (BYTE *)buffer + done,
                                        size - done, &chunk )))
            {
                WARN( "read failed: %s.\n", debugstr_a(pst_last_error( stream->child.logon->file )) );
                return err == PST_E_NOMEM ? STG_E_INSUFFICIENTMEMORY : STG_E_READFAULT;
            }
            if (!chunk) break;
            done += chunk;
        }
    }
    stream->position += done;
    *read = done;
    return S_OK;
}

static HRESULT WINAPI stream_QueryInterface( IStream *iface, REFIID riid, void **out )
{
    struct stream *stream = impl_from_IStream( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return E_POINTER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_ISequentialStream )
            || IsEqualGUID( riid, &IID_IStream ))
    {
        *out = &stream->IStream_iface;
        IStream_AddRef( &stream->IStream_iface );
        return S_OK;
    }
    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI stream_AddRef( IStream *iface )
{
    struct stream *stream = impl_from_IStream( iface );
    ULONG refcount = InterlockedIncrement( &stream->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI stream_Release( IStream *iface )
{
    struct stream *stream = impl_from_IStream( iface );
    ULONG refcount = InterlockedDecrement( &stream->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        store_child_destroy( &stream->child );
        free( stream );
    }
    return refcount;
}

static HRESULT WINAPI stream_Read( IStream *iface, void *buffer, ULONG size, ULONG *read )
{
    struct stream *stream = impl_from_IStream( iface );
    ULONG count;
    HRESULT hr;

    TRACE( "%p, %p, %lu, %p.\n", iface, buffer, size, read );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    if (!buffer) hr = STG_E_INVALIDPOINTER;
    else hr = stream_read_locked( stream, buffer, size, &count );
    stream_leave( stream );
    if (read) *read = SUCCEEDED(hr) ? count : 0;
    return hr;
}

static HRESULT WINAPI stream_Write( IStream *iface, const void *buffer, ULONG size, ULONG *written )
{
    struct stream *stream = impl_from_IStream( iface );
    HRESULT hr;

    TRACE( "%p, %p, %lu, %p.\n", iface, buffer, size, written );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    stream_leave( stream );
    if (written) *written = 0;
    return STG_E_ACCESSDENIED;
}

static HRESULT WINAPI stream_Seek( IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *new_position )
{
    struct stream *stream = impl_from_IStream( iface );
    LONGLONG base;
    HRESULT hr = S_OK;

    TRACE( "%p, %s, %lu, %p.\n", iface, wine_dbgstr_longlong(move.QuadPart), origin, new_position );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    switch (origin)
    {
    case STREAM_SEEK_SET: base = 0; break;
    case STREAM_SEEK_CUR: base = stream->position; break;
    case STREAM_SEEK_END: base = stream->source->size; break;
    default: hr = STG_E_INVALIDFUNCTION; break;
    }
    /* before the start is an error; past the end is allowed and reads nothing */
    if (SUCCEEDED(hr) && move.QuadPart < 0 && -move.QuadPart > base) hr = STG_E_INVALIDFUNCTION;
    if (SUCCEEDED(hr))
    {
        stream->position = base + move.QuadPart;
        if (new_position) new_position->QuadPart = stream->position;
    }
    stream_leave( stream );
    return hr;
}

static HRESULT WINAPI stream_SetSize( IStream *iface, ULARGE_INTEGER size )
{
    struct stream *stream = impl_from_IStream( iface );
    HRESULT hr;

    TRACE( "%p, %s.\n", iface, wine_dbgstr_longlong(size.QuadPart) );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    stream_leave( stream );
    return STG_E_ACCESSDENIED;
}

static HRESULT WINAPI stream_CopyTo( IStream *iface, IStream *dest, ULARGE_INTEGER size, ULARGE_INTEGER *read,
                                     ULARGE_INTEGER *written )
{
    struct stream *stream = impl_from_IStream( iface );
    ULONGLONG total_read = 0, total_written = 0;
    HRESULT hr = S_OK;
    BYTE *buffer;

    TRACE( "%p, %p, %s, %p, %p.\n", iface, dest, wine_dbgstr_longlong(size.QuadPart), read, written );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    stream_leave( stream );
    if (!dest) return STG_E_INVALIDPOINTER;
    if (!(buffer = malloc( STREAM_COPY_LIMIT ))) return STG_E_INSUFFICIENTMEMORY;

    while (total_read < size.QuadPart)
    {
        ULONG chunk = min( size.QuadPart - total_read, STREAM_COPY_LIMIT ), count, done;

        /* the destination is foreign code: never call it with our lock held */
        if (FAILED(hr = stream_enter( stream ))) break;
        hr = stream_read_locked( stream, buffer, chunk, &count );
        stream_leave( stream );
        if (FAILED(hr) || !count) break;
        total_read += count;
        hr = IStream_Write( dest, buffer, count, &done );
        total_written += done;
        if (FAILED(hr)) break;
        if (done < count)
        {
            hr = STG_E_MEDIUMFULL;
            break;
        }
    }
    free( buffer );
    if (read) read->QuadPart = total_read;
    if (written) written->QuadPart = total_written;
    return hr;
}

static HRESULT WINAPI stream_Commit( IStream *iface, DWORD flags )
{
    struct stream *stream = impl_from_IStream( iface );
    HRESULT hr;

    TRACE( "%p, %#lx.\n", iface, flags );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    stream_leave( stream );
    /* nothing can have changed in a read-only stream */
    return S_OK;
}

static HRESULT WINAPI stream_Revert( IStream *iface )
{
    struct stream *stream = impl_from_IStream( iface );
    HRESULT hr;

    TRACE( "%p.\n", iface );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    stream_leave( stream );
    return S_OK;
}

static HRESULT WINAPI stream_LockRegion( IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type )
{
    struct stream *stream = impl_from_IStream( iface );
    HRESULT hr;

    TRACE( "%p, %s, %s, %#lx.\n", iface, wine_dbgstr_longlong(offset.QuadPart),
           wine_dbgstr_longlong(size.QuadPart), type );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    stream_leave( stream );
    /* region locking is optional; callers fall back when it is unsupported */
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_UnlockRegion( IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type )
{
    struct stream *stream = impl_from_IStream( iface );
    HRESULT hr;

    TRACE( "%p, %s, %s, %#lx.\n", iface, wine_dbgstr_longlong(offset.QuadPart),
           wine_dbgstr_longlong(size.QuadPart), type );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    stream_leave( stream );
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_Stat( IStream *iface, STATSTG *stat, DWORD flags )
{
    struct stream *stream = impl_from_IStream( iface );
    HRESULT hr = S_OK;

    TRACE( "%p, %p, %#lx.\n", iface, stat, flags );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    if (!stat) hr = STG_E_INVALIDPOINTER;
    else if (flags & ~(STATFLAG_NONAME | STATFLAG_NOOPEN)) hr = STG_E_INVALIDFLAG;
    else
    {
        memset( stat, 0, sizeof(*stat) );
        /* a property has no name of its own: pwcsName stays NULL either way */
        stat->type = STGTY_STREAM;
        stat->cbSize.QuadPart = stream->source->size;
        stat->grfMode = STGM_READ | STGM_SHARE_DENY_NONE;
    }
    stream_leave( stream );
    return hr;
}

static const IStreamVtbl stream_vtbl;

/* Lock held. */
static HRESULT stream_new( struct store_logon *logon, struct stream_source *source, ULONGLONG position,
                           IStream **out )
{
    struct stream *stream;

    if (!(stream = calloc( 1, sizeof(*stream) ))) return E_OUTOFMEMORY;
    stream->IStream_iface.lpVtbl = &stream_vtbl;
    stream->refcount = 1;
    stream->source = source;
    stream->position = position;
    source->refcount++;
    store_child_init( &stream->child, logon, stream_invalidate );
    *out = &stream->IStream_iface;
    return S_OK;
}

static HRESULT WINAPI stream_Clone( IStream *iface, IStream **out )
{
    struct stream *stream = impl_from_IStream( iface );
    HRESULT hr;

    TRACE( "%p, %p.\n", iface, out );

    if (FAILED(hr = stream_enter( stream ))) return hr;
    if (!out) hr = STG_E_INVALIDPOINTER;
    else if (FAILED(hr = stream_new( stream->child.logon, stream->source, stream->position, out )))
        hr = STG_E_INSUFFICIENTMEMORY;
    stream_leave( stream );
    return hr;
}

static const IStreamVtbl stream_vtbl =
{
    stream_QueryInterface,
    stream_AddRef,
    stream_Release,
    stream_Read,
    stream_Write,
    stream_Seek,
    stream_SetSize,
    stream_CopyTo,
    stream_Commit,
    stream_Revert,
    stream_LockRegion,
    stream_UnlockRegion,
    stream_Stat,
    stream_Clone,
};

/* Loads a whole text value stored in the other string type and converts it. */
static HRESULT source_convert_text( struct pst_object *obj, ULONG tag, struct stream_source *source )
{
    ULONG other = PROP_TYPE(tag) == PT_UNICODE ? PT_STRING8 : PT_UNICODE;
    ULONG stored = PROP_TAG(other, PROP_ID(tag));
    struct pst_value value;
    int err, len;

    if ((err = pst_prop_get( obj, stored, &value ))) return hresult_from_pst( err );
    if (PROP_TYPE(tag) == PT_UNICODE)
    {
        len = MultiByteToWideChar( CP_ACP, 0, (const char *)value.bytes, value.size, NULL, 0 );
        if (!(source->data = malloc( len * sizeof(WCHAR) + 1 ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        MultiByteToWideChar( CP_ACP, 0, (const char *)value.bytes, value.size, (WCHAR *)source->data, len );
        source->size = len * sizeof(WCHAR);
    }
    else
    {
        len = WideCharToMultiByte( CP_ACP, 0, (const WCHAR *)value.bytes, value.size / sizeof(WCHAR),
                                   NULL, 0, NULL, NULL );
        if (!(source->data = malloc( len + 1 ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        WideCharToMultiByte( CP_ACP, 0, (const WCHAR *)value.bytes, value.size / sizeof(WCHAR),
                             (char *)source->data, len, NULL, NULL );
        source->size = len;
    }
    return S_OK;
}

HRESULT stream_create_path( struct store_logon *logon, struct pst_object *obj, const struct object_path *path,
                            ULONG tag, IStream **out )
{
    struct stream_source *source;
    struct pst_stream *engine;
    ULONG stored = tag;
    size_t done;
    HRESULT hr = S_OK;
    int err;

    TRACE( "logon %p, object %p, tag %#lx.\n", logon, obj, tag );

    if (!(source = calloc( 1, sizeof(*source) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    err = pst_prop_open_stream( obj, tag, &engine );
    /* a binary stream shows any stored encoding as is: ANSI stores keep
     * PR_HTML as PT_STRING8 */
    if (err == PST_E_NOT_FOUND && PROP_TYPE(tag) == PT_BINARY)
        err = pst_prop_open_stream( obj, (stored = PROP_TAG(PT_STRING8, PROP_ID(tag))), &engine );
    if (err == PST_E_NOT_FOUND && PROP_TYPE(tag) == PT_BINARY)
        err = pst_prop_open_stream( obj, (stored = PROP_TAG(PT_UNICODE, PROP_ID(tag))), &engine );
    if (err == PST_E_NOT_FOUND && (PROP_TYPE(tag) == PT_UNICODE || PROP_TYPE(tag) == PT_STRING8))
        hr = source_convert_text( obj, tag, source );
    else if (err)
        hr = hresult_from_pst( err );
    else if ((source->size = pst_stream_size( engine )) > STREAM_COPY_LIMIT)
    {
        source->engine = engine;
        source->tag = stored;
        source->generation = logon->generation;
        hr = object_path_copy( &source->path, path, 0, path->embedded );
    }
    else
    {
        /* small values may point into the object's heap: keep a copy */
        if (!(source->data = malloc( source->size + 1 ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else if ((err = pst_stream_read( engine, 0, source->data, source->size, &done )))
            hr = hresult_from_pst( err );
        else if (done != source->size) hr = MAPI_E_CORRUPT_DATA;
        pst_stream_close( engine );
    }
    if (SUCCEEDED(hr)) hr = stream_new( logon, source, 0, out );
    /* the new stream took its own reference */
    source->refcount++;
    source_release( source );
    return hr;
}

HRESULT stream_create( struct store_logon *logon, struct pst_object *obj, ULONG tag, IStream **out )
{
    struct object_path path = { obj ? pst_object_nid( obj ) : 0 };

    return stream_create_path( logon, obj, &path, tag, out );
}
