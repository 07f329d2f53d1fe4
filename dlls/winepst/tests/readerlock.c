/*
 * winepst: how a reader opens a file a writer in another process may be
 * committing to (pst_io.c, READER_LOCK)
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
 * The writer rewrites the header in place without a lock; a reader may
 * catch a header half written and must read it again until its CRCs hold.
 * Here a second handle plays the writer: it leaves a header whose CRC
 * fails (as a torn read would show it) and writes the whole one back only
 * once the reader is reading, which it sees by the reader's lock.
 */

#include <stdarg.h>
#include <stdio.h>

#include "windef.h"
#include "winbase.h"

#include "winepst_test.h"

/* pst_io.c: every reader holds a shared lock on this byte while open */
#define READER_LOCK_LOW  0x00000000
#define READER_LOCK_HIGH 0x40000000
#define HEADER_SIZE 564

/* the byte of the header the torn copy differs in: ibFileEof's, under
 * both CRCs (spec/pst-format.md, Unicode header: the ROOT at 180) */
#define TORN_BYTE (180 + 4)

static BOOL lock_reader_byte( HANDLE file, DWORD *error )
{
    OVERLAPPED ov = { 0 };

    ov.Offset = READER_LOCK_LOW;
    ov.OffsetHigh = READER_LOCK_HIGH;
    if (LockFileEx( file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov ))
    {
        UnlockFileEx( file, 0, 1, 0, &ov );
        *error = 0;
        return TRUE;
    }
    *error = GetLastError();
    return FALSE;
}

static BOOL write_header( HANDLE file, const BYTE *header )
{
    DWORD done = 0;

    SetFilePointer( file, 0, NULL, FILE_BEGIN );
    return WriteFile( file, header, HEADER_SIZE, &done, NULL ) && done == HEADER_SIZE;
}

struct fixer
{
    HANDLE file;
    BYTE header[HEADER_SIZE];
    BOOL saw_reader;
    BOOL written;
};

/* the writer's side: the whole header goes back once a reader is in */
static DWORD WINAPI fixer_thread( void *arg )
{
    struct fixer *fixer = arg;
    DWORD start = GetTickCount(), error;

    while (GetTickCount() - start < 10000)
    {
        if (!lock_reader_byte( fixer->file, &error ))
        {
            fixer->saw_reader = error == ERROR_LOCK_VIOLATION;
            break;
        }
        Sleep( 0 );
    }
    /* the reader has taken its lock and reads the header from now on */
    Sleep( 5 );
    fixer->written = write_header( fixer->file, fixer->header );
    return 0;
}

static HANDLE open_second_handle( const WCHAR *path, BYTE *header )
{
    HANDLE file;
    DWORD got = 0;

    file = CreateFileW( path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                        OPEN_EXISTING, 0, NULL );
    ok( file != INVALID_HANDLE_VALUE, "CreateFile failed: %lu.\n", GetLastError() );
    if (file == INVALID_HANDLE_VALUE) return file;
    ok( ReadFile( file, header, HEADER_SIZE, &got, NULL ) && got == HEADER_SIZE, "read %lu bytes.\n", got );
    return file;
}

/* wstore_logon without MDB_WRITE, but the call log stays: the test reads
 * what a failed open did with the support object */
static HRESULT read_only_logon( const WCHAR *path, struct wstore *ws )
{
    memset( ws, 0, sizeof(*ws) );
    ws->provider = create_provider();
    wcscpy( profile.path, path );
    init_support( &ws->support );
    return logon( ws->provider, &ws->support, 0, NULL, &ws->ms_logon, &ws->store );
}

static void test_torn_header(void)
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };
    BYTE torn[HEADER_SIZE], now[HEADER_SIZE];
    struct fixer fixer = { 0 };
    struct wstore ws;
    SPropValue *props;
    WCHAR path[MAX_PATH];
    HANDLE thread;
    ULONG count;
    DWORD got;
    HRESULT hr;

    if (!copy_sample( "pstsdk_sample1.pst", path ))
    {
        skip( "pstsdk_sample1.pst is not available.\n" );
        return;
    }
    if ((fixer.file = open_second_handle( path, fixer.header )) == INVALID_HANDLE_VALUE) goto done;
    memcpy( torn, fixer.header, sizeof(torn) );
    torn[TORN_BYTE] ^= 0x40;
    ok( write_header( fixer.file, torn ), "cannot write the torn header.\n" );

    thread = CreateThread( NULL, 0, fixer_thread, &fixer, 0, NULL );
    hr = read_only_logon( path, &ws );
    WaitForSingleObject( thread, INFINITE );
    CloseHandle( thread );
    ok( fixer.saw_reader, "the reader took no lock on the reader byte.\n" );
    ok( fixer.written, "the whole header was not written back.\n" );
    /* it waited for the whole header instead of calling the store damaged */
    ok( hr == S_OK, "a reader that met a torn header: Logon returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        /* the store answers from the state it opened */
        hr = IMsgStore_GetProps( ws.store, (SPropTagArray *)&tags, 0, &count, &props );
        ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
        if (hr == S_OK)
        {
            ok( props[0].ulPropTag == PR_DISPLAY_NAME_W, "got tag %#lx.\n", props[0].ulPropTag );
            test_free_buffer( props );
        }
        /* while open it holds its lock; it goes at logoff */
        ok( !lock_reader_byte( fixer.file, &got ) && got == ERROR_LOCK_VIOLATION,
            "the open reader holds no lock (%lu).\n", got );
        wstore_logoff( &ws );
        ok( lock_reader_byte( fixer.file, &got ), "the reader's lock outlived it (%lu).\n", got );
    }
    else IMSProvider_Release( ws.provider );

    /* a header that stays damaged is a damaged store, as before */
    ok( write_header( fixer.file, torn ), "cannot write the torn header.\n" );
    call_log[0] = 0;
    hr = read_only_logon( path, &ws );
    /* a store that did not open keeps no reference to the support object */
    check_log( "support final release; " );
    ok( hr == MAPI_E_CORRUPT_STORE, "a damaged header: Logon returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) wstore_logoff( &ws );
    else IMSProvider_Release( ws.provider );
    ok( lock_reader_byte( fixer.file, &got ), "a failed open kept its lock (%lu).\n", got );
    SetFilePointer( fixer.file, 0, NULL, FILE_BEGIN );
    ok( ReadFile( fixer.file, now, sizeof(now), &got, NULL ) && !memcmp( now, torn, sizeof(now) ),
        "the reader wrote to the file.\n" );
    CloseHandle( fixer.file );
done:
    DeleteFileW( path );
}

START_TEST(readerlock)
{
    if (!init_winepst()) return;
    test_torn_header();
}
