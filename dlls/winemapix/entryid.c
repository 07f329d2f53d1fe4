/*
 * Entry IDs MAPI itself defines: wrapped store entry IDs, one-off address
 * book entry IDs and the status table's entry IDs (plain byte handling, no
 * COM object; the native fuzz target builds this file too)
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

#include <string.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/*
 * Wrapped store entry IDs, the only form clients see (R2.7).  The layout is
 * the one MAPI has always used, so IDs saved by other MAPI implementations
 * stay usable:
 *
 *   BYTE abFlags[4]       0
 *   MAPIUID               store wrapper UID {10bba138-e505-1a10-a1bb-08002b2a56c2}
 *   BYTE version          0
 *   BYTE flags            0
 *   char dll_name[]       provider DLL as registered (no "32"), NUL-terminated
 *   BYTE pad[]            zeros up to a multiple of 4 bytes from the start
 *   BYTE provider_id[]    the provider's own store entry ID
 */
static const MAPIUID store_wrap_uid =
    {{ 0x38, 0xa1, 0xbb, 0x10, 0x05, 0xe5, 0x10, 0x1a, 0xa1, 0xbb, 0x08, 0x00, 0x2b, 0x2a, 0x56, 0xc2 }};

#define WRAP_HEADER_SIZE (4 + sizeof(MAPIUID) + 2)

HRESULT wrap_store_entryid( const char *dll_name, BYTE wrap_flags, ULONG size, ENTRYID *entry,
                            ULONG *wrapped_size, ENTRYID **wrapped )
{
    ULONG name_size = strlen( dll_name ) + 1, offset;
    BYTE *data;
    SCODE sc;

    offset = (WRAP_HEADER_SIZE + name_size + 3) & ~3;
    if ((sc = MAPIAllocateBuffer( offset + size, (void **)&data ))) return sc;
    memset( data, 0, offset );
    memcpy( data + 4, &store_wrap_uid, sizeof(store_wrap_uid) );
    data[4 + sizeof(MAPIUID) + 1] = wrap_flags;
    memcpy( data + WRAP_HEADER_SIZE, dll_name, name_size );
    memcpy( data + offset, entry, size );
    *wrapped_size = offset + size;
    *wrapped = (ENTRYID *)data;
    return S_OK;
}

BYTE store_entryid_wrap_flags( const ENTRYID *wrapped )
{
    return ((const BYTE *)wrapped)[4 + sizeof(MAPIUID) + 1];
}

/* Returns pointers into entry; dll_name is NUL-terminated in place. */
HRESULT unwrap_store_entryid( ULONG size, ENTRYID *entry, char **dll_name, ULONG *inner_size, ENTRYID **inner )
{
    BYTE *data = (BYTE *)entry;
    ULONG offset;
    char *name;

    TRACE( "%lu, %p.\n", size, entry );
    if (!entry || size <= WRAP_HEADER_SIZE || memcmp( data + 4, &store_wrap_uid, sizeof(store_wrap_uid) ))
        return MAPI_E_INVALID_ENTRYID;
    name = (char *)data + WRAP_HEADER_SIZE;
    if (!memchr( name, 0, size - WRAP_HEADER_SIZE )) return MAPI_E_INVALID_ENTRYID;
    offset = (WRAP_HEADER_SIZE + strlen( name ) + 1 + 3) & ~3;
    if (offset > size) return MAPI_E_INVALID_ENTRYID;
    *dll_name = name;
    *inner_size = size - offset;
    *inner = (ENTRYID *)(data + offset);
    return S_OK;
}

static const MAPIUID one_off_uid = { MAPI_ONE_OFF_UID };

/* one-off-entry-identifiers.md: abFlags, MAPI_ONE_OFF_UID, WORD version,
 * WORD flags, then three packed NUL-terminated strings */
#define ONE_OFF_HEADER_SIZE (4 + sizeof(MAPIUID) + 2 * sizeof(WORD))

/* Builds a one-off entry ID; the strings are wide, the ID holds them wide
 * (MAPI_ONE_OFF_UNICODE) if unicode is set and in the ANSI code page if not. */
HRESULT one_off_create( const WCHAR *name, const WCHAR *type, const WCHAR *address, BOOL unicode,
                        BOOL no_rich_info, ULONG *size, ENTRYID **entry )
{
    const WCHAR *strings[3] = { name ? name : L"", type, address };
    ULONG total = ONE_OFF_HEADER_SIZE, len[3];
    WORD version = 0, flags = 0;
    unsigned int i;
    BYTE *data, *p;
    SCODE sc;

    for (i = 0; i < 3; i++)
    {
        if (unicode) len[i] = (lstrlenW( strings[i] ) + 1) * sizeof(WCHAR);
        else len[i] = WideCharToMultiByte( CP_ACP, 0, strings[i], -1, NULL, 0, NULL, NULL );
        total += len[i];
    }
    if ((sc = MAPIAllocateBuffer( total, (void **)&data ))) return sc;
    memset( data, 0, 4 );
    memcpy( data + 4, &one_off_uid, sizeof(one_off_uid) );
    if (unicode) flags |= MAPI_ONE_OFF_UNICODE;
    if (no_rich_info) flags |= MAPI_ONE_OFF_NO_RICH_INFO;
    /* the words are little-endian, which is the byte order of every Wine target */
    memcpy( data + 4 + sizeof(MAPIUID), &version, sizeof(version) );
    memcpy( data + 4 + sizeof(MAPIUID) + sizeof(WORD), &flags, sizeof(flags) );
    p = data + ONE_OFF_HEADER_SIZE;
    for (i = 0; i < 3; i++)
    {
        if (unicode) memcpy( p, strings[i], len[i] );
        else WideCharToMultiByte( CP_ACP, 0, strings[i], -1, (char *)p, len[i], NULL, NULL );
        p += len[i];
    }
    *size = total;
    *entry = (ENTRYID *)data;
    return S_OK;
}

BOOL is_one_off( ULONG size, const ENTRYID *entry )
{
    return entry && size > ONE_OFF_HEADER_SIZE && !memcmp( entry->ab, &one_off_uid, sizeof(one_off_uid) );
}

/* Reads the strings of a one-off entry ID back as wide strings (free each). */
HRESULT one_off_parse( ULONG size, const ENTRYID *entry, WCHAR *strings[3], WORD *flags )
{
    const BYTE *data = (const BYTE *)entry, *p, *end = data + size;
    unsigned int i, j;
    ULONG len;

    TRACE( "%lu, %p.\n", size, entry );
    if (!is_one_off( size, entry )) return MAPI_E_UNKNOWN_ENTRYID;
    memcpy( flags, data + 4 + sizeof(MAPIUID) + sizeof(WORD), sizeof(*flags) );
    p = data + ONE_OFF_HEADER_SIZE;
    for (i = 0; i < 3; i++)
    {
        strings[i] = NULL;
        if (*flags & MAPI_ONE_OFF_UNICODE)
        {
            for (len = 0; p + len * sizeof(WCHAR) + 1 < end; len++)
                if (!p[len * 2] && !p[len * 2 + 1]) break;
            if (p + len * sizeof(WCHAR) + 1 >= end) break;
            if ((strings[i] = malloc( (len + 1) * sizeof(WCHAR) )))
                memcpy( strings[i], p, (len + 1) * sizeof(WCHAR) );
            p += (len + 1) * sizeof(WCHAR);
        }
        else
        {
            if (!memchr( p, 0, end - p )) break;
            len = MultiByteToWideChar( CP_ACP, 0, (const char *)p, -1, NULL, 0 );
            if ((strings[i] = malloc( len * sizeof(WCHAR) )))
                MultiByteToWideChar( CP_ACP, 0, (const char *)p, -1, strings[i], len );
            p += strlen( (const char *)p ) + 1;
        }
        if (!strings[i]) break;
    }
    if (i == 3) return S_OK;
    for (j = 0; j < i; j++) free( strings[j] );
    return MAPI_E_INVALID_ENTRYID;
}

/* Status objects have no entry IDs of their providers' making: the rows of
 * the status table get MAPI's own, under a UID of winemapix's. */
static const MAPIUID status_entryid_uid =
    {{ 0x9c, 0x2f, 0x51, 0x7e, 0x3a, 0x44, 0x4d, 0x2b, 0x8e, 0x61, 0x0d, 0x5a, 0xc4, 0x27, 0x90, 0x15 }};

void status_entryid_init( struct status_entryid *id, const MAPIUID *row_key )
{
    memset( id->flags, 0, sizeof(id->flags) );
    id->uid = status_entryid_uid;
    id->row_key = *row_key;
}

BOOL status_entryid_parse( ULONG size, const ENTRYID *entry, MAPIUID *row_key )
{
    const struct status_entryid *id = (const struct status_entryid *)entry;

    if (!entry || size != sizeof(*id) || memcmp( &id->uid, &status_entryid_uid, sizeof(MAPIUID) )) return FALSE;
    *row_key = id->row_key;
    return TRUE;
}
