/*
 * winepst: writing messages (message.c, attach.c, pending.c) and opening
 * stores for writing (store.c)
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

#include <stdarg.h>
#include <stdio.h>

#include "windef.h"
#include "winbase.h"

#include "winepst_test.h"

#define BIG_SIZE (20 * 1024 * 1024)

typedef void (CALLBACK *check_finding_cb)( void *ctx, const char *code, ULONGLONG offset, ULONG nid,
                                           ULONGLONG bid, const char *message );
static HRESULT (WINAPI *pWinePstCheckFile)( const WCHAR *path, check_finding_cb finding, void *progress,
                                            void *ctx, ULONG *count, char *error, DWORD error_size );

static void CALLBACK print_finding( void *ctx, const char *code, ULONGLONG offset, ULONG nid, ULONGLONG bid,
                                    const char *message )
{
    trace( "finding %s at %#I64x nid %#lx bid %#I64x: %s\n", code, offset, nid, bid, message );
}

/* Runs the strict checker; the writes must add no finding to those the
 * sample had before (pstsdk_sample1.pst has one that Outlook left: a
 * PR_CHANGE_KEY in the contents row of its message, see pst_check.c). */
static ULONG check_count( const WCHAR *path, BOOL print )
{
    char error[256];
    ULONG count = ~0u;
    HRESULT hr;

    hr = pWinePstCheckFile( path, print ? print_finding : NULL, NULL, NULL, &count, error, sizeof(error) );
    ok( hr == S_OK, "the check returned %#lx: %s.\n", hr, error );
    return count;
}

static ULONG sample_findings;

static void check_file( const WCHAR *path )
{
    ULONG count;

    if (!pWinePstCheckFile)
    {
        win_skip( "WinePstCheckFile is not exported.\n" );
        return;
    }
    count = check_count( path, FALSE );
    ok( count == sample_findings, "the checker found %lu problem(s), the sample has %lu.\n", count, sample_findings );
    if (count != sample_findings) check_count( path, TRUE );
}

static LONG store_long( IMsgStore *store, ULONG tag )
{
    SPropTagArray tags = { 1, { tag } };
    SPropValue *props;
    ULONG count;
    LONG value = -1;
    HRESULT hr;

    hr = IMsgStore_GetProps( store, &tags, 0, &count, &props );
    ok( hr == S_OK, "GetProps(%#lx) returned %#lx.\n", tag, hr );
    if (hr == S_OK)
    {
        value = props[0].Value.l;
        test_free_buffer( props );
    }
    return value;
}

static IMAPIFolder *open_ipm( IMsgStore *store, ULONG flags )
{
    SPropTagArray tags = { 1, { PR_IPM_SUBTREE_ENTRYID } };
    IMAPIFolder *folder = NULL;
    SPropValue *props;
    ULONG count, type;
    HRESULT hr;

    hr = IMsgStore_GetProps( store, &tags, 0, &count, &props );
    ok( hr == S_OK && props[0].ulPropTag == PR_IPM_SUBTREE_ENTRYID, "IPM subtree %#lx.\n", hr );
    if (hr != S_OK) return NULL;
    hr = IMsgStore_OpenEntry( store, props[0].Value.bin.cb, (ENTRYID *)props[0].Value.bin.lpb, NULL, flags,
                              &type, (IUnknown **)&folder );
    ok( hr == S_OK, "OpenEntry of the IPM subtree returned %#lx.\n", hr );
    test_free_buffer( props );
    return folder;
}

/* A copy of the sample at PATH, logged on for writing: its IPM subtree. */
static IMAPIFolder *open_sample_ipm( WCHAR *path, struct wstore *ws )
{
    HRESULT hr;

    if (!copy_sample( "pstsdk_sample1.pst", path )) return NULL;
    hr = wstore_logon( path, MDB_WRITE, ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) return NULL;
    return open_ipm( ws->store, MAPI_MODIFY );
}

static const WCHAR *get_string( IMAPIProp *prop, ULONG tag, WCHAR *buffer, size_t size )
{
    SPropTagArray tags = { 1, { tag } };
    SPropValue *props;
    ULONG count;
    HRESULT hr;

    buffer[0] = 0;
    hr = IMAPIProp_GetProps( prop, &tags, MAPI_UNICODE, &count, &props );
    if (FAILED(hr)) return NULL;
    if (props[0].ulPropTag == tag) lstrcpynW( buffer, props[0].Value.lpszW, size );
    else
    {
        test_free_buffer( props );
        return NULL;
    }
    test_free_buffer( props );
    return buffer;
}

static ULONG table_rows( IMAPITable *table )
{
    ULONG rows = ~0u;
    HRESULT hr;

    hr = IMAPITable_GetRowCount( table, 0, &rows );
    ok( hr == S_OK, "GetRowCount returned %#lx.\n", hr );
    return rows;
}

static ULONG recipient_count( IMessage *message )
{
    IMAPITable *table;
    ULONG rows;
    HRESULT hr;

    hr = IMessage_GetRecipientTable( message, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetRecipientTable returned %#lx.\n", hr );
    if (hr != S_OK) return ~0u;
    rows = table_rows( table );
    IMAPITable_Release( table );
    return rows;
}

static ULONG attachment_count( IMessage *message )
{
    IMAPITable *table;
    ULONG rows;
    HRESULT hr;

    hr = IMessage_GetAttachmentTable( message, 0, &table );
    ok( hr == S_OK, "GetAttachmentTable returned %#lx.\n", hr );
    if (hr != S_OK) return ~0u;
    rows = table_rows( table );
    IMAPITable_Release( table );
    return rows;
}

static BYTE big_byte( ULONG i )
{
    return (BYTE)(i * 7 + (i >> 13));
}

static void test_open_modes(void)
{
    WCHAR path[MAX_PATH], ansi[MAX_PATH];
    struct wstore ws, ws2;
    IMAPIFolder *folder;
    IMessage *message;
    LONG mask;
    HRESULT hr;

    if (!copy_sample( "pstsdk_sample1.pst", path ) || !copy_sample( "pstsdk_sample2.pst", ansi ))
    {
        skip( "samples are not available.\n" );
        return;
    }

    /* without MDB_WRITE the store is read-only */
    hr = wstore_logon( path, 0, &ws );
    ok( hr == S_OK, "read-only Logon returned %#lx.\n", hr );
    mask = store_long( ws.store, PR_STORE_SUPPORT_MASK );
    ok( (mask & STORE_READONLY) && !(mask & STORE_MODIFY_OK), "read-only mask %#lx.\n", mask );
    ok( store_long( ws.store, PR_ACCESS_LEVEL ) == 0, "access level of a read-only store.\n" );
    folder = open_ipm( ws.store, 0 );
    message = (IMessage *)0xdeadbeef;
    hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message );
    ok( hr == MAPI_E_NO_ACCESS, "CreateMessage on a read-only store returned %#lx.\n", hr );
    IMAPIFolder_Release( folder );
    /* a read-only logon does not stop a writer */
    hr = wstore_logon( path, MDB_WRITE, &ws2 );
    ok( hr == S_OK, "MDB_WRITE next to a reader returned %#lx.\n", hr );
    if (hr == S_OK) wstore_logoff( &ws2 );
    wstore_logoff( &ws );

    hr = wstore_logon( path, MDB_WRITE, &ws );
    ok( hr == S_OK, "MDB_WRITE Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    mask = store_long( ws.store, PR_STORE_SUPPORT_MASK );
    ok( !(mask & STORE_READONLY) && (mask & STORE_MODIFY_OK) && (mask & STORE_CREATE_OK), "writable mask %#lx.\n",
        mask );
    ok( store_long( ws.store, PR_ACCESS_LEVEL ) == MAPI_MODIFY, "access level of a writable store.\n" );

    /* one writer per file: MDB_WRITE alone is refused, best access reads */
    hr = wstore_logon( path, MDB_WRITE, &ws2 );
    ok( hr == MAPI_E_NO_ACCESS, "a second writer got %#lx.\n", hr );
    hr = wstore_logon( path, MDB_WRITE | MAPI_BEST_ACCESS, &ws2 );
    ok( hr == S_OK, "best access next to a writer returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        mask = store_long( ws2.store, PR_STORE_SUPPORT_MASK );
        ok( (mask & STORE_READONLY) && !(mask & STORE_MODIFY_OK), "best access mask %#lx.\n", mask );
        wstore_logoff( &ws2 );
    }
    wstore_logoff( &ws );

    /* the writer writes Unicode files only */
    hr = wstore_logon( ansi, MDB_WRITE, &ws );
    ok( hr == MAPI_E_NO_ACCESS, "MDB_WRITE on an ANSI file returned %#lx.\n", hr );
    if (hr == S_OK) wstore_logoff( &ws );
    hr = wstore_logon( ansi, MAPI_BEST_ACCESS, &ws );
    ok( hr == S_OK, "best access on an ANSI file returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        mask = store_long( ws.store, PR_STORE_SUPPORT_MASK );
        ok( mask & STORE_READONLY, "ANSI mask %#lx.\n", mask );
        wstore_logoff( &ws );
    }
done:
    DeleteFileW( path );
    DeleteFileW( ansi );
}

static IMessage *open_message( IMsgStore *store, const SBinary *entryid, ULONG flags )
{
    IMessage *message = NULL;
    ULONG type;
    HRESULT hr;

    hr = IMsgStore_OpenEntry( store, entryid->cb, (ENTRYID *)entryid->lpb, NULL, flags, &type,
                              (IUnknown **)&message );
    ok( hr == S_OK, "OpenEntry of the message returned %#lx.\n", hr );
    ok( hr != S_OK || type == MAPI_MESSAGE, "type %lu.\n", type );
    return message;
}

static void test_messages(void)
{
    static const WCHAR *names[] = { L"Alice", L"Bob", L"Carol" };
    SPropValue props[4], rprops[3][3], *values;
    SPropProblemArray *problems;
    SPropTagArray *list;
    SizedSPropTagArray(2, del) = { 2, { PR_BODY_W, PR_ENTRYID } };
    SPropTagArray tag1 = { 1, { PR_ENTRYID } };
    BYTE entry_buffer[64], *big = NULL, buffer[4096];
    SBinary entryid = { 0, entry_buffer };
    WCHAR path[MAX_PATH], text[256];
    IMessage *message, *embedded;
    struct wstore ws;
    IMAPIFolder *folder;
    IAttach *attach;
    IStream *stream;
    ADRLIST *adrlist = NULL;
    ULONG count, num, i, done, read;
    STATSTG stat;
    HRESULT hr;
    BOOL same;

    if (!copy_sample( "pstsdk_sample1.pst", path ))
    {
        skip( "sample1 is not available.\n" );
        return;
    }
    hr = wstore_logon( path, MDB_WRITE, &ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) return;
    folder = open_ipm( ws.store, MAPI_MODIFY );

    hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message );
    ok( hr == S_OK, "CreateMessage returned %#lx.\n", hr );

    /* no entry ID before the first save */
    hr = IMessage_GetProps( message, &tag1, 0, &count, &values );
    ok( hr == MAPI_W_ERRORS_RETURNED && PROP_TYPE(values[0].ulPropTag) == PT_ERROR, "new entry ID %#lx %#lx.\n",
        hr, values[0].ulPropTag );
    test_free_buffer( values );

    props[0].ulPropTag = PR_SUBJECT_W;
    props[0].Value.lpszW = (WCHAR *)L"Written by winepst";
    props[1].ulPropTag = PR_BODY_A;
    props[1].Value.lpszA = (char *)"Hello from the writer.";
    props[2].ulPropTag = PR_ENTRYID;
    props[2].Value.bin.cb = 4;
    props[2].Value.bin.lpb = (BYTE *)"abcd";
    props[3].ulPropTag = PROP_TAG(0x1234, 0x6601);
    props[3].Value.l = 1;
    problems = NULL;
    hr = IMessage_SetProps( message, 4, props, &problems );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    ok( problems && problems->cProblem == 2, "problems %p %lu.\n", problems, problems ? problems->cProblem : 0 );
    if (problems && problems->cProblem == 2)
    {
        ok( problems->aProblem[0].ulIndex == 2 && problems->aProblem[0].scode == MAPI_E_COMPUTED,
            "problem 0: %lu %#lx.\n", problems->aProblem[0].ulIndex, problems->aProblem[0].scode );
        ok( problems->aProblem[1].ulIndex == 3 && problems->aProblem[1].scode == MAPI_E_INVALID_TYPE,
            "problem 1: %lu %#lx.\n", problems->aProblem[1].ulIndex, problems->aProblem[1].scode );
    }
    test_free_buffer( problems );
    props[0].ulPropTag = PR_MESSAGE_ATTACHMENTS;
    hr = IMessage_SetProps( message, 1, props, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "SetProps of PT_OBJECT returned %#lx.\n", hr );

    /* the pending values read back, a string set as ANSI comes as Unicode */
    ok( get_string( (IMAPIProp *)message, PR_BODY_W, text, ARRAY_SIZE(text) )
        && !wcscmp( text, L"Hello from the writer." ), "body %s.\n", debugstr_w(text) );
    hr = IMessage_GetPropList( message, MAPI_UNICODE, &list );
    ok( hr == S_OK, "GetPropList returned %#lx.\n", hr );
    for (i = 0, count = 0; i < list->cValues; i++)
        if (list->aulPropTag[i] == PR_SUBJECT_W || list->aulPropTag[i] == PR_BODY_W) count++;
    ok( count == 2, "subject and body listed %lu times.\n", count );
    test_free_buffer( list );

    /* recipients */
    test_allocate_buffer( CbNewADRLIST(3), (void **)&adrlist );
    adrlist->cEntries = 3;
    for (i = 0; i < 3; i++)
    {
        rprops[i][0].ulPropTag = PR_DISPLAY_NAME_W;
        rprops[i][0].Value.lpszW = (WCHAR *)names[i];
        rprops[i][1].ulPropTag = PR_RECIPIENT_TYPE;
        rprops[i][1].Value.l = MAPI_TO;
        rprops[i][2].ulPropTag = PR_ROWID;
        rprops[i][2].Value.l = 77;
        adrlist->aEntries[i].ulReserved1 = 0;
        adrlist->aEntries[i].cValues = 3;
        adrlist->aEntries[i].rgPropVals = rprops[i];
    }
    hr = IMessage_ModifyRecipients( message, MODRECIP_ADD, adrlist );
    ok( hr == S_OK, "ModifyRecipients returned %#lx.\n", hr );
    ok( recipient_count( message ) == 3, "pending recipients.\n" );
    /* remove the second: rows are numbered by the store, 0, 1, 2 */
    adrlist->cEntries = 1;
    rprops[1][2].Value.l = 1;
    adrlist->aEntries[0].cValues = 3;
    adrlist->aEntries[0].rgPropVals = rprops[1];
    hr = IMessage_ModifyRecipients( message, MODRECIP_REMOVE, adrlist );
    ok( hr == S_OK, "MODRECIP_REMOVE returned %#lx.\n", hr );
    ok( recipient_count( message ) == 2, "recipients after removing one.\n" );
    hr = IMessage_ModifyRecipients( message, MODRECIP_ADD | MODRECIP_REMOVE, adrlist );
    ok( hr == MAPI_E_INVALID_PARAMETER, "two operations returned %#lx.\n", hr );

    /* a small attachment */
    hr = IMessage_CreateAttach( message, NULL, 0, &num, &attach );
    ok( hr == S_OK, "CreateAttach returned %#lx.\n", hr );
    props[0].ulPropTag = PR_ATTACH_METHOD;
    props[0].Value.l = ATTACH_BY_VALUE;
    props[1].ulPropTag = PR_ATTACH_LONG_FILENAME_W;
    props[1].Value.lpszW = (WCHAR *)L"small.txt";
    props[2].ulPropTag = PR_ATTACH_DATA_BIN;
    props[2].Value.bin.cb = 5;
    props[2].Value.bin.lpb = (BYTE *)"small";
    hr = IAttach_SetProps( attach, 3, props, NULL );
    ok( hr == S_OK, "IAttach::SetProps returned %#lx.\n", hr );
    ok( attachment_count( message ) == 0, "an unsaved attachment is listed.\n" );
    hr = IAttach_SaveChanges( attach, KEEP_OPEN_READWRITE );
    ok( hr == S_OK, "IAttach::SaveChanges returned %#lx.\n", hr );
    ok( attachment_count( message ) == 1, "the saved attachment is not listed.\n" );
    IAttach_Release( attach );

    /* a big one through a stream, in chunks */
    hr = IMessage_CreateAttach( message, NULL, 0, &num, &attach );
    ok( hr == S_OK, "CreateAttach returned %#lx.\n", hr );
    props[1].Value.lpszW = (WCHAR *)L"big.bin";
    hr = IAttach_SetProps( attach, 2, props, NULL );
    ok( hr == S_OK, "IAttach::SetProps returned %#lx.\n", hr );
    hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY,
                               (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty(MAPI_CREATE) returned %#lx.\n", hr );
    big = malloc( BIG_SIZE );
    for (i = 0; i < BIG_SIZE; i++) big[i] = big_byte( i );
    for (done = 0; done < BIG_SIZE; done += 65536)
    {
        ULONG written = 0;

        hr = IStream_Write( stream, big + done, 65536, &written );
        if (hr != S_OK || written != 65536) break;
    }
    ok( done == BIG_SIZE, "wrote %lu bytes: %#lx.\n", done, hr );
    hr = IStream_Commit( stream, 0 );
    ok( hr == S_OK, "Commit returned %#lx.\n", hr );
    IStream_Release( stream );
    hr = IAttach_SaveChanges( attach, 0 );
    ok( hr == S_OK, "IAttach::SaveChanges returned %#lx.\n", hr );
    hr = IAttach_SetProps( attach, 1, props, NULL );
    ok( hr == MAPI_E_INVALID_OBJECT, "SetProps after SaveChanges(0) returned %#lx.\n", hr );
    IAttach_Release( attach );

    /* an embedded message */
    hr = IMessage_CreateAttach( message, NULL, 0, &num, &attach );
    ok( hr == S_OK, "CreateAttach returned %#lx.\n", hr );
    props[0].Value.l = ATTACH_EMBEDDED_MSG;
    hr = IAttach_SetProps( attach, 1, props, NULL );
    ok( hr == S_OK, "IAttach::SetProps returned %#lx.\n", hr );
    hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_CREATE | MAPI_MODIFY,
                               (IUnknown **)&embedded );
    ok( hr == S_OK, "OpenProperty(PR_ATTACH_DATA_OBJ) returned %#lx.\n", hr );
    props[0].ulPropTag = PR_SUBJECT_W;
    props[0].Value.lpszW = (WCHAR *)L"Inner message";
    hr = IMessage_SetProps( embedded, 1, props, NULL );
    ok( hr == S_OK, "embedded SetProps returned %#lx.\n", hr );
    hr = IMessage_SaveChanges( embedded, KEEP_OPEN_READWRITE );
    ok( hr == S_OK, "embedded SaveChanges returned %#lx.\n", hr );
    IMessage_Release( embedded );
    hr = IAttach_SaveChanges( attach, KEEP_OPEN_READWRITE );
    ok( hr == S_OK, "IAttach::SaveChanges returned %#lx.\n", hr );
    IAttach_Release( attach );
    ok( attachment_count( message ) == 3, "attachments before saving.\n" );

    notify_calls = 0;
    hr = IMessage_SaveChanges( message, KEEP_OPEN_READWRITE );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    ok( notify_calls == 2 && notify_last_event == fnevObjectCreated, "notifications %ld, event %#lx.\n",
        notify_calls, notify_last_event );
    hr = IMessage_GetProps( message, &tag1, 0, &count, &values );
    ok( hr == S_OK && values[0].ulPropTag == PR_ENTRYID && values[0].Value.bin.cb <= sizeof(entry_buffer),
        "entry ID after saving %#lx.\n", hr );
    if (hr == S_OK)
    {
        entryid.cb = values[0].Value.bin.cb;
        memcpy( entry_buffer, values[0].Value.bin.lpb, entryid.cb );
    }
    test_free_buffer( values );
    ok( recipient_count( message ) == 2, "saved recipients.\n" );
    ok( attachment_count( message ) == 3, "saved attachments.\n" );
    IMessage_Release( message );
    IMAPIFolder_Release( folder );
    wstore_logoff( &ws );
    check_file( path );

    /* everything reads back in a new logon */
    hr = wstore_logon( path, MDB_WRITE, &ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    message = open_message( ws.store, &entryid, MAPI_MODIFY );
    if (!message) goto done;
    ok( get_string( (IMAPIProp *)message, PR_SUBJECT_W, text, ARRAY_SIZE(text) )
        && !wcscmp( text, L"Written by winepst" ), "subject %s.\n", debugstr_w(text) );
    ok( get_string( (IMAPIProp *)message, PR_BODY_W, text, ARRAY_SIZE(text) )
        && !wcscmp( text, L"Hello from the writer." ), "body %s.\n", debugstr_w(text) );
    ok( recipient_count( message ) == 2, "recipients read back.\n" );
    ok( attachment_count( message ) == 3, "attachments read back.\n" );
    {
        IMAPITable *table;
        SRowSet *rows = NULL;
        SizedSPropTagArray(2, cols) = { 2, { PR_ATTACH_NUM, PR_ATTACH_METHOD } };

        hr = IMessage_GetAttachmentTable( message, 0, &table );
        ok( hr == S_OK, "GetAttachmentTable returned %#lx.\n", hr );
        IMAPITable_SetColumns( table, (SPropTagArray *)&cols, 0 );
        hr = IMAPITable_QueryRows( table, 10, 0, &rows );
        ok( hr == S_OK && rows->cRows == 3, "rows %#lx.\n", hr );
        for (i = 0; hr == S_OK && i < rows->cRows; i++)
        {
            ULONG method = rows->aRow[i].lpProps[1].Value.l;

            hr = IMessage_OpenAttach( message, rows->aRow[i].lpProps[0].Value.l, NULL, 0, &attach );
            ok( hr == S_OK, "OpenAttach returned %#lx.\n", hr );
            if (hr != S_OK) break;
            get_string( (IMAPIProp *)attach, PR_ATTACH_LONG_FILENAME_W, text, ARRAY_SIZE(text) );
            if (method == ATTACH_EMBEDDED_MSG)
            {
                hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (IUnknown **)&embedded );
                ok( hr == S_OK, "opening the embedded message returned %#lx.\n", hr );
                if (hr == S_OK)
                {
                    ok( get_string( (IMAPIProp *)embedded, PR_SUBJECT_W, text, ARRAY_SIZE(text) )
                        && !wcscmp( text, L"Inner message" ), "inner subject %s.\n", debugstr_w(text) );
                    IMessage_Release( embedded );
                }
            }
            else if (!wcscmp( text, L"big.bin" ))
            {
                hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (IUnknown **)&stream );
                ok( hr == S_OK, "opening the big stream returned %#lx.\n", hr );
                if (hr == S_OK)
                {
                    IStream_Stat( stream, &stat, STATFLAG_NONAME );
                    ok( stat.cbSize.QuadPart == BIG_SIZE, "big size %I64u.\n", stat.cbSize.QuadPart );
                    same = TRUE;
                    for (done = 0; same && done < BIG_SIZE; done += read)
                    {
                        if (IStream_Read( stream, buffer, sizeof(buffer), &read ) != S_OK || !read) break;
                        same = !memcmp( buffer, big + done, read );
                    }
                    ok( same && done == BIG_SIZE, "big data differs at %lu.\n", done );
                    IStream_Release( stream );
                }
            }
            else ok( !wcscmp( text, L"small.txt" ), "attachment %s.\n", debugstr_w(text) );
            IAttach_Release( attach );
            hr = S_OK;
        }
        if (rows)
        {
            for (i = 0; i < rows->cRows; i++) test_free_buffer( rows->aRow[i].lpProps );
            test_free_buffer( rows );
        }
        IMAPITable_Release( table );
    }

    /* change and delete properties and recipients of the saved message */
    props[0].ulPropTag = PR_SUBJECT_W;
    props[0].Value.lpszW = (WCHAR *)L"Changed";
    hr = IMessage_SetProps( message, 1, props, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    problems = NULL;
    hr = IMessage_DeleteProps( message, (SPropTagArray *)&del, &problems );
    ok( hr == S_OK, "DeleteProps returned %#lx.\n", hr );
    ok( problems && problems->cProblem == 1 && problems->aProblem[0].scode == MAPI_E_COMPUTED,
        "DeleteProps problems %p.\n", problems );
    test_free_buffer( problems );
    ok( !get_string( (IMAPIProp *)message, PR_BODY_W, text, ARRAY_SIZE(text) ), "the deleted body is shown.\n" );
    hr = IMessage_SaveChanges( message, KEEP_OPEN_READONLY );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    hr = IMessage_SetProps( message, 1, props, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "SetProps after KEEP_OPEN_READONLY returned %#lx.\n", hr );
    IMessage_Release( message );

    message = open_message( ws.store, &entryid, MAPI_MODIFY );
    if (!message) goto done;
    ok( get_string( (IMAPIProp *)message, PR_SUBJECT_W, text, ARRAY_SIZE(text) ) && !wcscmp( text, L"Changed" ),
        "changed subject %s.\n", debugstr_w(text) );
    ok( !get_string( (IMAPIProp *)message, PR_BODY_W, text, ARRAY_SIZE(text) ), "the body is still there.\n" );
    ok( attachment_count( message ) == 3, "attachments after changing properties.\n" );
    /* a recipient goes: the message is rewritten whole */
    rprops[0][2].Value.l = 0;
    adrlist->cEntries = 1;
    adrlist->aEntries[0].rgPropVals = rprops[0];
    hr = IMessage_ModifyRecipients( message, MODRECIP_REMOVE, adrlist );
    ok( hr == S_OK, "MODRECIP_REMOVE returned %#lx.\n", hr );
    hr = IMessage_SaveChanges( message, 0 );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    hr = IMessage_GetProps( message, &tag1, 0, &count, &values );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProps after SaveChanges(0) returned %#lx.\n", hr );
    IMessage_Release( message );

    message = open_message( ws.store, &entryid, MAPI_MODIFY );
    if (!message) goto done;
    ok( recipient_count( message ) == 1, "recipients after removing one.\n" );
    ok( attachment_count( message ) == 3, "attachments after rewriting.\n" );
    ok( get_string( (IMAPIProp *)message, PR_SUBJECT_W, text, ARRAY_SIZE(text) ) && !wcscmp( text, L"Changed" ),
        "subject after rewriting %s.\n", debugstr_w(text) );

    /* unsaved changes vanish at Release ... */
    props[0].Value.lpszW = (WCHAR *)L"Never saved";
    hr = IMessage_SetProps( message, 1, props, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    IMessage_Release( message );
    message = open_message( ws.store, &entryid, MAPI_MODIFY );
    if (!message) goto done;
    ok( get_string( (IMAPIProp *)message, PR_SUBJECT_W, text, ARRAY_SIZE(text) ) && !wcscmp( text, L"Changed" ),
        "subject after Release %s.\n", debugstr_w(text) );
    /* ... and at logoff */
    hr = IMessage_SetProps( message, 1, props, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    wstore_logoff( &ws );
    hr = IMessage_SaveChanges( message, 0 );
    ok( hr == MAPI_E_INVALID_OBJECT, "SaveChanges after logoff returned %#lx.\n", hr );
    IMessage_Release( message );

    hr = wstore_logon( path, 0, &ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    message = open_message( ws.store, &entryid, 0 );
    if (message)
    {
        ok( get_string( (IMAPIProp *)message, PR_SUBJECT_W, text, ARRAY_SIZE(text) ) && !wcscmp( text, L"Changed" ),
            "subject after logoff %s.\n", debugstr_w(text) );
        /* read-only: writes are refused */
        hr = IMessage_SetProps( message, 1, props, NULL );
        ok( hr == MAPI_E_NO_ACCESS, "SetProps on a read-only message returned %#lx.\n", hr );
        hr = IMessage_SaveChanges( message, 0 );
        ok( hr == MAPI_E_NO_ACCESS, "SaveChanges on a read-only message returned %#lx.\n", hr );
        hr = IMessage_SetReadFlag( message, 0 );
        ok( hr == MAPI_E_NO_ACCESS, "SetReadFlag on a read-only store returned %#lx.\n", hr );
        IMessage_Release( message );
    }
    wstore_logoff( &ws );
    check_file( path );

done:
    if (adrlist) test_free_buffer( adrlist );
    free( big );
    DeleteFileW( path );
}

static void test_read_flag(void)
{
    SPropTagArray tag = { 1, { PR_MESSAGE_FLAGS } };
    BYTE entry_buffer[64];
    SBinary entryid = { 0, entry_buffer };
    WCHAR path[MAX_PATH];
    SPropValue *values, prop;
    IMAPIFolder *folder;
    IMessage *message;
    struct wstore ws;
    ULONG count;
    HRESULT hr;

    if (!(folder = open_sample_ipm( path, &ws ))) return;
    hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message );
    ok( hr == S_OK, "CreateMessage returned %#lx.\n", hr );
    prop.ulPropTag = PR_SUBJECT_W;
    prop.Value.lpszW = (WCHAR *)L"flags";
    IMessage_SetProps( message, 1, &prop, NULL );
    hr = IMessage_SubmitMessage( message, 0 );
    ok( hr == MAPI_E_NO_SUPPORT, "SubmitMessage returned %#lx.\n", hr );
    hr = IMessage_SaveChanges( message, KEEP_OPEN_READWRITE );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    hr = IMessage_GetProps( message, &tag, 0, &count, &values );
    ok( hr == S_OK && (values[0].Value.l & (MSGFLAG_READ | MSGFLAG_UNSENT)) == (MSGFLAG_READ | MSGFLAG_UNSENT),
        "new message flags %#lx.\n", values[0].Value.l );
    test_free_buffer( values );
    {
        SPropTagArray eid = { 1, { PR_ENTRYID } };

        hr = IMessage_GetProps( message, &eid, 0, &count, &values );
        entryid.cb = values[0].Value.bin.cb;
        memcpy( entry_buffer, values[0].Value.bin.lpb, entryid.cb );
        test_free_buffer( values );
    }
    hr = IMessage_SetReadFlag( message, SUPPRESS_RECEIPT | GENERATE_RECEIPT_ONLY );
    ok( hr == MAPI_E_INVALID_PARAMETER, "contradictory flags returned %#lx.\n", hr );
    /* not transacted: the file changes without SaveChanges */
    hr = IMessage_SetReadFlag( message, CLEAR_READ_FLAG );
    ok( hr == S_OK, "SetReadFlag(CLEAR_READ_FLAG) returned %#lx.\n", hr );
    IMessage_Release( message );
    message = open_message( ws.store, &entryid, 0 );
    hr = IMessage_GetProps( message, &tag, 0, &count, &values );
    ok( hr == S_OK && !(values[0].Value.l & MSGFLAG_READ), "flags after clearing %#lx.\n", values[0].Value.l );
    test_free_buffer( values );
    /* no spooler: no receipt, and the flag stays */
    hr = IMessage_SetReadFlag( message, GENERATE_RECEIPT_ONLY );
    ok( hr == S_OK, "SetReadFlag(GENERATE_RECEIPT_ONLY) returned %#lx.\n", hr );
    hr = IMessage_SetReadFlag( message, 0 );
    ok( hr == S_OK, "SetReadFlag(0) returned %#lx.\n", hr );
    hr = IMessage_GetProps( message, &tag, 0, &count, &values );
    ok( hr == S_OK && (values[0].Value.l & MSGFLAG_READ), "flags after reading %#lx.\n", values[0].Value.l );
    test_free_buffer( values );
    IMessage_Release( message );
    IMAPIFolder_Release( folder );
    wstore_logoff( &ws );
    check_file( path );
    DeleteFileW( path );
}

/* Busy blocks on the heap of the C library's malloc (ucrtbase's: the DLL's
 * malloc and ours are the same one). */
static SIZE_T c_heap_blocks( SIZE_T *bytes )
{
    static intptr_t (__cdecl *p_get_heap_handle)(void);
    PROCESS_HEAP_ENTRY entry;
    SIZE_T count = 0;
    HANDLE heap;

    *bytes = 0;
    if (!p_get_heap_handle)
        p_get_heap_handle = (void *)GetProcAddress( GetModuleHandleA( "ucrtbase.dll" ), "_get_heap_handle" );
    heap = p_get_heap_handle ? (HANDLE)p_get_heap_handle() : GetProcessHeap();
    entry.lpData = NULL;
    if (!HeapLock( heap )) return 0;
    while (HeapWalk( heap, &entry ))
    {
        if (!(entry.wFlags & PROCESS_HEAP_ENTRY_BUSY)) continue;
        count++;
        *bytes += entry.cbData;
    }
    HeapUnlock( heap );
    return count;
}

static HRESULT import_one( IMAPIFolder *folder, ULONG i )
{
    static BYTE data[10 * 1024];
    SPropValue props[2], rprops[3], aprops[2];
    WCHAR subject[64], body[1025];
    struct { ULONG cEntries; ADRENTRY aEntries[1]; } adrlist;
    IMessage *message;
    IAttach *attach;
    ULONG num, k;
    HRESULT hr;

    if (FAILED(hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message ))) return hr;
    swprintf( subject, ARRAY_SIZE(subject), L"import %lu", i );
    for (k = 0; k < ARRAY_SIZE(body) - 1; k++) body[k] = 'a' + (i + k) % 26;
    body[k] = 0;
    props[0].ulPropTag = PR_SUBJECT_W;
    props[0].Value.lpszW = subject;
    props[1].ulPropTag = PR_BODY_W;
    props[1].Value.lpszW = body;
    if (FAILED(hr = IMessage_SetProps( message, 2, props, NULL ))) goto done;
    rprops[0].ulPropTag = PR_RECIPIENT_TYPE;
    rprops[0].Value.l = MAPI_TO;
    rprops[1].ulPropTag = PR_DISPLAY_NAME_W;
    rprops[1].Value.lpszW = (WCHAR *)L"Bob";
    rprops[2].ulPropTag = PR_EMAIL_ADDRESS_W;
    rprops[2].Value.lpszW = (WCHAR *)L"bob@example.org";
    adrlist.cEntries = 1;
    adrlist.aEntries[0].ulReserved1 = 0;
    adrlist.aEntries[0].cValues = 3;
    adrlist.aEntries[0].rgPropVals = rprops;
    if (FAILED(hr = IMessage_ModifyRecipients( message, MODRECIP_ADD, (ADRLIST *)&adrlist ))) goto done;
    if (FAILED(hr = IMessage_CreateAttach( message, NULL, 0, &num, &attach ))) goto done;
    memset( data, i, sizeof(data) );
    aprops[0].ulPropTag = PR_ATTACH_METHOD;
    aprops[0].Value.l = ATTACH_BY_VALUE;
    aprops[1].ulPropTag = PR_ATTACH_DATA_BIN;
    aprops[1].Value.bin.cb = sizeof(data);
    aprops[1].Value.bin.lpb = data;
    if (SUCCEEDED(hr = IAttach_SetProps( attach, 2, aprops, NULL ))) hr = IAttach_SaveChanges( attach, 0 );
    IAttach_Release( attach );
    if (SUCCEEDED(hr)) hr = IMessage_SaveChanges( message, 0 );
done:
    IMessage_Release( message );
    return hr;
}

/* An import (CreateMessage ... SaveChanges, Release, a message at a time)
 * keeps nothing per message in the COM layer and little in the engine:
 * the writer once kept every row of the folder's contents table decoded
 * (2 KB and 5 heap blocks a message here), which took the 100,000-message
 * import past 200 MB.  What the writer keeps now per row, its index
 * entries, stays under a few hundred bytes (tests/engine test_write
 * growth counts it exactly); the bound here leaves room for the heap's
 * own overhead. */
static void test_import_memory(void)
{
    SIZE_T blocks_before, blocks_after, bytes_before, bytes_after;
    const ULONG count = 1200;
    WCHAR path[MAX_PATH];
    IMAPIFolder *folder;
    struct wstore ws;
    LONG live_before;
    HRESULT hr;
    ULONG i;

    if (!(folder = open_sample_ipm( path, &ws ))) return;
    /* the first messages fill what the engine keeps for any file */
    for (i = 0, hr = S_OK; i < 20 && hr == S_OK; i++) hr = import_one( folder, i );
    ok( hr == S_OK, "importing message %lu failed: %#lx.\n", i, hr );
    live_before = live_blocks;
    blocks_before = c_heap_blocks( &bytes_before );
    for (; i < 20 + count && hr == S_OK; i++) hr = import_one( folder, i );
    ok( hr == S_OK, "importing message %lu failed: %#lx.\n", i, hr );
    blocks_after = c_heap_blocks( &bytes_after );
    ok( blocks_after < blocks_before + count / 8, "%Iu blocks on the C heap before, %Iu after %lu messages.\n",
        blocks_before, blocks_after, count );
    ok( bytes_after < bytes_before + count * 1024, "%Iu bytes on the C heap before, %Iu after %lu messages.\n",
        bytes_before, bytes_after, count );
    /* nor MAPI buffers */
    ok( live_blocks == live_before, "%ld MAPI buffers before, %ld after.\n", live_before, live_blocks );
    IMAPIFolder_Release( folder );
    wstore_logoff( &ws );
    check_file( path );
    DeleteFileW( path );
}

static LONGLONG bytes_read;
static LONG lock_calls;
static BOOL (WINAPI *real_ReadFile)( HANDLE, void *, DWORD, DWORD *, OVERLAPPED * );
static BOOL (WINAPI *real_LockFileEx)( HANDLE, DWORD, DWORD, DWORD, DWORD, OVERLAPPED * );

static BOOL WINAPI counting_ReadFile( HANDLE file, void *buf, DWORD len, DWORD *got, OVERLAPPED *ov )
{
    BOOL ret = real_ReadFile( file, buf, len, got, ov );

    if (ret && got) bytes_read += *got;
    return ret;
}

static BOOL WINAPI counting_LockFileEx( HANDLE file, DWORD flags, DWORD reserved, DWORD low, DWORD high,
                                        OVERLAPPED *ov )
{
    lock_calls++;
    return real_LockFileEx( file, flags, reserved, low, high, ov );
}

/* What a commit costs in file system calls stays small:
 * - it reads little back: the provider reads through windows of up to
 *   64 KiB, and its own writes, which land all over the area the next
 *   commit reads (B-tree pages, the folder's table), once dropped the
 *   windows they touched, so that every commit read about five windows
 *   again (300 KB a message in mapibench's import);
 * - it rarely asks whether readers in other processes hold the file (a
 *   lock and an unlock, two wineserver round trips, once every commit). */
static void test_import_io(void)
{
    HMODULE module = GetModuleHandleA( "winepst.dll" );
    const ULONG count = 300;
    WCHAR path[MAX_PATH];
    IMAPIFolder *folder;
    struct wstore ws;
    HRESULT hr;
    ULONG i;

    if (!(folder = open_sample_ipm( path, &ws ))) return;
    for (i = 0, hr = S_OK; i < 20 && hr == S_OK; i++) hr = import_one( folder, i );
    ok( hr == S_OK, "importing message %lu failed: %#lx.\n", i, hr );
    real_ReadFile = patch_import( module, "kernel32.dll", "ReadFile", counting_ReadFile );
    real_LockFileEx = patch_import( module, "kernel32.dll", "LockFileEx", counting_LockFileEx );
    ok( real_ReadFile && real_LockFileEx, "winepst.dll imports no ReadFile or LockFileEx from kernel32.dll.\n" );
    if (real_ReadFile && real_LockFileEx)
    {
        bytes_read = 0;
        lock_calls = 0;
        for (; i < 20 + count && hr == S_OK; i++) hr = import_one( folder, i );
        ok( hr == S_OK, "importing message %lu failed: %#lx.\n", i, hr );
        ok( bytes_read < count * 98304, "%I64d bytes read for %lu messages.\n", bytes_read, count );
        ok( lock_calls < count / 8, "%ld locks taken for %lu messages.\n", lock_calls, count );
    }
    if (real_ReadFile) patch_import( module, "kernel32.dll", "ReadFile", real_ReadFile );
    if (real_LockFileEx) patch_import( module, "kernel32.dll", "LockFileEx", real_LockFileEx );
    IMAPIFolder_Release( folder );
    wstore_logoff( &ws );
    check_file( path );
    DeleteFileW( path );
}

START_TEST(write)
{
    if (!init_winepst()) return;
    pWinePstCheckFile = (void *)GetProcAddress( GetModuleHandleA( "winepst.dll" ), "WinePstCheckFile" );
    if (pWinePstCheckFile)
    {
        WCHAR path[MAX_PATH];

        if (copy_sample( "pstsdk_sample1.pst", path ))
        {
            sample_findings = check_count( path, FALSE );
            ok( sample_findings <= 1, "the untouched sample has %lu findings.\n", sample_findings );
            DeleteFileW( path );
        }
    }
    test_open_modes();
    test_messages();
    test_read_flag();
    test_import_memory();
    test_import_io();
    /* the recorded calls are not what these tests are about */
    if (0) check_log( "" );
}
