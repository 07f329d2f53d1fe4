/*
 * libFuzzer target fuzz_entryid, winepst's half: the store entry ID
 * (winepst entryid.c) and the engine's folder and message entry IDs
 * (pst_entryid_parse / pst_entryid_format), with their round trips.  See
 * fuzz_entryid.c.
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

#include <stdlib.h>
#include <string.h>
#include "winepst_private.h"

#define MAX_PATH_CHARS 64

/* provider.c's value; provider.c itself is a COM file */
const MAPIUID winepst_provider_uid =
    {{ 0x9d, 0x4a, 0x1c, 0x57, 0x3e, 0x61, 0x4b, 0x8a, 0xa0, 0x3c, 0x57, 0x49, 0x4e, 0x45, 0x50, 0x53 }};

void fuzz_winepst_entryids( const BYTE *data, ULONG size );

/* abort() and wcscmp() would be the C library's, with another calling
 * convention and another wchar_t (see winshim/winshim.h) */
static void check( BOOL ok )
{
    if (!ok) __builtin_trap();
}

static BOOL wstr_equal( const WCHAR *a, const WCHAR *b )
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

static SCODE WINAPI allocate_buffer( ULONG size, void **buffer )
{
    return (*buffer = malloc( size ? size : 1 )) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

/* the fuzzer never builds with a parent */
static SCODE WINAPI allocate_more( ULONG size, void *parent, void **buffer )
{
    __builtin_trap();
}

static ULONG WINAPI free_buffer( void *buffer )
{
    free( buffer );
    return 0;
}

static const struct mapi_allocators allocators = { allocate_buffer, allocate_more, free_buffer };

/* build a store entry ID from (uid, path) and parse it: the same come back */
static void store_round_trip( const BYTE uid[16], WCHAR *path )
{
    struct store_logon logon;
    const WCHAR *path2;
    ENTRYID *entry;
    BYTE uid2[16];
    ULONG size;

    memset( &logon, 0, sizeof(logon) );
    memcpy( logon.uid, uid, 16 );
    logon.path = path;
    if (FAILED(store_entryid_build( &logon, &allocators, NULL, &size, &entry ))) return;
    check( store_entryid_parse( size, entry, uid2, &path2 ) == S_OK );
    check( !memcmp( uid, uid2, 16 ) && wstr_equal( path, path2 ) );
    free_buffer( entry );
}

static void fuzz_store( const BYTE *data, ULONG size )
{
    WCHAR own[MAX_PATH_CHARS + 1], *path_copy;
    const WCHAR *path;
    BYTE uid[16], *buf;
    ULONG len, i;

    if (!(buf = malloc( size ? size : 1 ))) return;
    if (size) memcpy( buf, data, size );
    if (store_entryid_parse( size, (ENTRYID *)buf, uid, &path ) == S_OK)
    {
        len = wcslen( path );
        check( len && (BYTE *)path >= buf && (BYTE *)(path + len + 1) <= buf + size );
        if ((path_copy = malloc( (len + 1) * sizeof(WCHAR) )))
        {
            memcpy( path_copy, path, (len + 1) * sizeof(WCHAR) );
            store_round_trip( uid, path_copy );
            free( path_copy );
        }
    }
    free( buf );

    /* the builder on a UID and a path from the input */
    if (size < 17) return;
    memcpy( uid, data, 16 );
    len = 1 + data[16] % MAX_PATH_CHARS;
    for (i = 0; i < len; i++)
    {
        ULONG pos = 17 + 2 * i;

        own[i] = pos + 1 < size ? data[pos] | data[pos + 1] << 8 : 'p';
        if (!own[i]) own[i] = 'p';
    }
    own[len] = 0;
    store_round_trip( uid, own );
}

static void fuzz_engine( const BYTE *data, ULONG size )
{
    uint8_t uid[16], uid2[16], out[PST_ENTRYID_SIZE], *buf;
    uint32_t nid, nid2;

    if (!(buf = malloc( size ? size : 1 ))) return;
    if (size) memcpy( buf, data, size );
    if (!pst_entryid_parse( buf, size, uid, &nid ))
    {
        /* the format has no free bytes: building again gives the input */
        pst_entryid_format( uid, nid, out );
        check( size == PST_ENTRYID_SIZE && !memcmp( out, buf, PST_ENTRYID_SIZE ) );
        check( !pst_entryid_parse( buf, size, NULL, &nid2 ) && nid2 == nid );
    }
    free( buf );

    if (size < 20) return;
    memcpy( uid, data, 16 );
    nid = data[16] | data[17] << 8 | data[18] << 16 | (uint32_t)data[19] << 24;
    pst_entryid_format( uid, nid, out );
    check( !pst_entryid_parse( out, sizeof(out), uid2, &nid2 ) );
    check( nid2 == nid && !memcmp( uid2, uid, 16 ) );
}

void fuzz_winepst_entryids( const BYTE *data, ULONG size )
{
    fuzz_store( data, size );
    fuzz_engine( data, size );
}
