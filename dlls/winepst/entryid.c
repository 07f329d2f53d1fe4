/*
 * winepst: the store entry ID (plain byte handling, no COM object; the
 * native fuzz target builds this file too)
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

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

/* Our unwrapped store entry ID: MAPI wraps it before clients see it. */
#include "pshpack1.h"
struct store_entryid
{
    BYTE flags[4];
    MAPIUID provider;          /* winepst_provider_uid */
    BYTE version;              /* STORE_ENTRYID_VERSION */
    BYTE reserved[3];
    BYTE store_uid[16];        /* the store's record key */
    WCHAR path[1];             /* NUL-terminated */
};
#include "poppack.h"

#define STORE_ENTRYID_VERSION 1

HRESULT store_entryid_build( const struct store_logon *logon, const struct mapi_allocators *alloc, void *parent,
                             ULONG *size, ENTRYID **entryid )
{
    size_t path_len = wcslen( logon->path ) + 1;
    struct store_entryid *entry;
    ULONG bytes = FIELD_OFFSET(struct store_entryid, path[path_len]);
    SCODE sc;

    TRACE( "%p, %p, %p.\n", logon, alloc, parent );
    if (parent) sc = alloc->allocate_more( bytes, parent, (void **)&entry );
    else sc = alloc->allocate_buffer( bytes, (void **)&entry );
    if (FAILED(sc)) return sc;
    memset( entry, 0, FIELD_OFFSET(struct store_entryid, path) );
    entry->provider = winepst_provider_uid;
    entry->version = STORE_ENTRYID_VERSION;
    memcpy( entry->store_uid, logon->uid, sizeof(entry->store_uid) );
    memcpy( entry->path, logon->path, path_len * sizeof(WCHAR) );
    *size = bytes;
    *entryid = (ENTRYID *)entry;
    return S_OK;
}

HRESULT store_entryid_parse( ULONG size, const ENTRYID *entryid, BYTE uid[16], const WCHAR **path )
{
    const struct store_entryid *entry = (const struct store_entryid *)entryid;
    ULONG chars;

    TRACE( "%lu, %p.\n", size, entryid );
    if (!entryid || size < FIELD_OFFSET(struct store_entryid, path[2])) return MAPI_E_INVALID_ENTRYID;
    if (memcmp( &entry->provider, &winepst_provider_uid, sizeof(MAPIUID) ) || entry->version != STORE_ENTRYID_VERSION)
        return MAPI_E_INVALID_ENTRYID;
    /* the path must be terminated inside the entry ID, and not empty */
    chars = (size - FIELD_OFFSET(struct store_entryid, path)) / sizeof(WCHAR);
    if (!entry->path[0] || wcsnlen( entry->path, chars ) == chars) return MAPI_E_INVALID_ENTRYID;
    memcpy( uid, entry->store_uid, 16 );
    *path = entry->path;
    return S_OK;
}
