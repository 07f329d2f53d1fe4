/*
 * winepst tests: the writable store object (named properties, store
 * properties, receive folders, the outgoing queue) and PST passwords
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

#include "winepst_test.h"

#define PR_PST_PASSWORD PROP_TAG(PT_LONG, 0x67ff)
#define TEST_BINARY_TAG PROP_TAG(PT_BINARY, 0x6612)
#define PST_ENTRYID_SIZE 24

/* Facts of the samples (SOURCES.md; pypff for folder identifiers and
 * names; shared/tools/pst/ltpdump.py for the receive folder table, NID
 * 0x62b, 4 rows in javalibpst_dist-list.pst: "", "IPM", "Report.IPM" go to
 * the Inbox, 0x8082, and "IPC" to the root folder, 0x122; pstsdk_sample1.pst
 * has one row, "" to the root folder).  pstsdk's test_unicode.pst and
 * test_ansi.pst have PR_PST_PASSWORD 0xf93ba110, the [MS-PST] CRC-32 of
 * "test". */
#define NID_ROOT   0x122
#define NID_INBOX  0x8082

static const GUID test_guid = { 0x1ea7beef, 0x1234, 0x4321, { 0x80, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 } };

static DWORD entry_nid( const ENTRYID *entry )
{
    DWORD nid;

    memcpy( &nid, (const BYTE *)entry + 20, sizeof(nid) );
    return nid;
}

/* [MS-PST] 5.3's CRC (reflected polynomial 0xEDB88320, initial value 0,
 * no final inversion), which 2.4.3.3 uses for the password. */
static DWORD pst_crc( const char *text )
{
    DWORD crc = 0;
    int k;

    for (; *text; text++)
    {
        crc ^= (BYTE)*text;
        for (k = 0; k < 8; k++) crc = (crc & 1) ? 0xedb88320 ^ (crc >> 1) : crc >> 1;
    }
    return crc;
}

static void test_password_crc(void)
{
    /* the engine's CRC as [MS-PST] defines it; "test" is what pstsdk's
     * samples carry */
    ok( pst_crc( "test" ) == 0xf93ba110, "CRC of \"test\" %#lx.\n", pst_crc( "test" ) );
}

/* ------------------------------------------------------------------ */

static void test_named_properties(void)
{
    MAPINAMEID name1 = { (GUID *)&test_guid, MNID_STRING }, name2 = { (GUID *)&test_guid, MNID_ID };
    MAPINAMEID mapi = { (GUID *)&PS_MAPI, MNID_ID }, *names[4], **got;
    SPropTagArray *tags, *first, *query;
    IMAPIFolder *root;
    struct wstore ws;
    WCHAR path[MAX_PATH];
    ULONG count, type;
    HRESULT hr;

    if (!copy_sample( "pstsdk_sample1.pst", path ))
    {
        skip( "pstsdk_sample1.pst is not available.\n" );
        return;
    }
    name1.Kind.lpwstrName = (WCHAR *)L"winepst-storewrite";
    name2.Kind.lID = 0x4242;
    mapi.Kind.lID = PROP_ID(PR_SUBJECT_W);
    names[0] = &name1;
    names[1] = &name2;
    names[2] = &mapi;
    names[3] = &name1;

    hr = wstore_logon( path, MDB_WRITE, &ws );
    ok( hr == S_OK, "writable Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;

    /* without MAPI_CREATE the new names have no ID */
    hr = IMsgStore_GetIDsFromNames( ws.store, 3, names, 0, &tags );
    ok( hr == MAPI_W_ERRORS_RETURNED, "GetIDsFromNames returned %#lx.\n", hr );
    ok( tags->aulPropTag[0] == PROP_TAG(PT_ERROR, 0) && tags->aulPropTag[1] == PROP_TAG(PT_ERROR, 0),
        "tags %#lx %#lx.\n", tags->aulPropTag[0], tags->aulPropTag[1] );
    ok( tags->aulPropTag[2] == PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_SUBJECT_W)), "PS_MAPI tag %#lx.\n",
        tags->aulPropTag[2] );
    test_free_buffer( tags );

    /* MAPI_CREATE adds them, all in one call; a name given twice gets one ID */
    hr = IMsgStore_GetIDsFromNames( ws.store, 4, names, MAPI_CREATE, &first );
    ok( hr == S_OK, "GetIDsFromNames(MAPI_CREATE) returned %#lx.\n", hr );
    if (hr != S_OK) goto logoff;
    ok( first->cValues == 4, "%lu tags.\n", first->cValues );
    ok( PROP_ID(first->aulPropTag[0]) >= 0x8000 && PROP_ID(first->aulPropTag[1]) >= 0x8000
        && PROP_ID(first->aulPropTag[0]) != PROP_ID(first->aulPropTag[1]), "new IDs %#lx %#lx.\n",
        first->aulPropTag[0], first->aulPropTag[1] );
    ok( first->aulPropTag[2] == PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_SUBJECT_W)), "PS_MAPI tag %#lx.\n",
        first->aulPropTag[2] );
    ok( first->aulPropTag[3] == first->aulPropTag[0], "the repeated name got %#lx, not %#lx.\n",
        first->aulPropTag[3], first->aulPropTag[0] );

    /* the same IDs again, and through a folder: one map per store */
    hr = IMsgStore_GetIDsFromNames( ws.store, 2, names, MAPI_CREATE, &tags );
    ok( hr == S_OK && tags->aulPropTag[0] == first->aulPropTag[0] && tags->aulPropTag[1] == first->aulPropTag[1],
        "second call %#lx.\n", hr );
    if (hr == S_OK) test_free_buffer( tags );
    hr = IMsgStore_OpenEntry( ws.store, 0, NULL, NULL, 0, &type, (IUnknown **)&root );
    ok( hr == S_OK, "OpenEntry(root) returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        hr = IMAPIFolder_GetIDsFromNames( root, 2, names, 0, &tags );
        ok( hr == S_OK && tags->aulPropTag[0] == first->aulPropTag[0] && tags->aulPropTag[1] == first->aulPropTag[1],
            "folder GetIDsFromNames %#lx.\n", hr );
        if (hr == S_OK) test_free_buffer( tags );
        IMAPIFolder_Release( root );
    }

    /* and the names behind the IDs */
    test_allocate_buffer( CbNewSPropTagArray(2), (void **)&query );
    query->cValues = 2;
    query->aulPropTag[0] = first->aulPropTag[0];
    query->aulPropTag[1] = first->aulPropTag[1];
    hr = IMsgStore_GetNamesFromIDs( ws.store, &query, NULL, 0, &count, &got );
    ok( hr == S_OK && count == 2, "GetNamesFromIDs returned %#lx, %lu.\n", hr, count );
    if (hr == S_OK)
    {
        ok( IsEqualGUID( got[0]->lpguid, &test_guid ) && got[0]->ulKind == MNID_STRING
            && !wcscmp( got[0]->Kind.lpwstrName, L"winepst-storewrite" ), "name 0 wrong.\n" );
        ok( IsEqualGUID( got[1]->lpguid, &test_guid ) && got[1]->ulKind == MNID_ID && got[1]->Kind.lID == 0x4242,
            "name 1 wrong.\n" );
        test_free_buffer( got );
    }
    test_free_buffer( query );

logoff:
    wstore_logoff( &ws );
    if (!first) goto done;

    /* a new, read-only logon finds them in the file */
    hr = wstore_logon( path, 0, &ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        hr = IMsgStore_GetIDsFromNames( ws.store, 2, names, 0, &tags );
        ok( hr == S_OK && tags->aulPropTag[0] == first->aulPropTag[0] && tags->aulPropTag[1] == first->aulPropTag[1],
            "after a new logon %#lx.\n", hr );
        if (hr == S_OK) test_free_buffer( tags );
        /* existing names map with MAPI_CREATE on a read-only store ... */
        hr = IMsgStore_GetIDsFromNames( ws.store, 2, names, MAPI_CREATE, &tags );
        ok( hr == S_OK, "read-only MAPI_CREATE of existing names returned %#lx.\n", hr );
        if (hr == S_OK) test_free_buffer( tags );
        /* ... a name to create cannot be added */
        name2.Kind.lID = 0x4243;
        tags = (SPropTagArray *)0xdeadbeef;
        hr = IMsgStore_GetIDsFromNames( ws.store, 2, names, MAPI_CREATE, &tags );
        ok( hr == MAPI_E_NO_ACCESS, "read-only MAPI_CREATE of a new name returned %#lx.\n", hr );
        ok( !tags, "tags %p.\n", tags );
        wstore_logoff( &ws );
    }
    test_free_buffer( first );
done:
    DeleteFileW( path );
}

/* ------------------------------------------------------------------ */

static BOOL get_string( IMsgStore *store, ULONG tag, WCHAR *buffer, ULONG size )
{
    SPropTagArray tags = { 1, { tag } };
    SPropValue *props;
    ULONG count;
    HRESULT hr;

    buffer[0] = 0;
    hr = IMsgStore_GetProps( store, &tags, MAPI_UNICODE, &count, &props );
    if (FAILED(hr)) return FALSE;
    if (props[0].ulPropTag == tag) lstrcpynW( buffer, props[0].Value.lpszW, size );
    hr = props[0].ulPropTag == tag ? S_OK : props[0].Value.err;
    test_free_buffer( props );
    return hr == S_OK;
}

static void test_store_props(void)
{
    SizedSPropTagArray(2, del_tags) = { 2, { PR_COMMENT_W, PR_RECORD_KEY } };
    SPropProblemArray *problems;
    SPropValue props[3], *values;
    struct wstore ws;
    WCHAR path[MAX_PATH], name[64];
    BYTE *big, *back;
    LARGE_INTEGER zero = {{ 0 }};
    IStream *stream;
    STATSTG stat;
    ULONG count, i, done;
    HRESULT hr;

    if (!copy_sample( "pstsdk_sample1.pst", path ))
    {
        skip( "pstsdk_sample1.pst is not available.\n" );
        return;
    }
    big = malloc( 100000 );
    back = malloc( 100000 );
    for (i = 0; i < 100000; i++) big[i] = (BYTE)(i * 13 + (i >> 9));

    /* read-only: nothing changes */
    hr = wstore_logon( path, 0, &ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    props[0].ulPropTag = PR_DISPLAY_NAME_W;
    props[0].Value.lpszW = (WCHAR *)L"Renamed store";
    hr = IMsgStore_SetProps( ws.store, 1, props, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "read-only SetProps returned %#lx.\n", hr );
    hr = IMsgStore_DeleteProps( ws.store, (SPropTagArray *)&del_tags, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "read-only DeleteProps returned %#lx.\n", hr );
    hr = IMsgStore_OpenProperty( ws.store, TEST_BINARY_TAG, &IID_IStream, 0, MAPI_MODIFY | MAPI_CREATE,
                                 (IUnknown **)&stream );
    ok( hr == MAPI_E_NO_ACCESS, "read-only OpenProperty(MAPI_MODIFY) returned %#lx.\n", hr );
    /* a property read as a stream */
    hr = IMsgStore_OpenProperty( ws.store, PR_DISPLAY_NAME_W, &IID_IStream, 0, 0, (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty(PR_DISPLAY_NAME_W) returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        ok( get_string( ws.store, PR_DISPLAY_NAME_W, name, ARRAY_SIZE(name) ), "no display name.\n" );
        hr = IStream_Stat( stream, &stat, STATFLAG_NONAME );
        ok( hr == S_OK && stat.cbSize.QuadPart == wcslen( name ) * sizeof(WCHAR), "stream of %lu bytes for %s.\n",
            (ULONG)stat.cbSize.QuadPart, wine_dbgstr_w(name) );
        IStream_Release( stream );
    }
    hr = IMsgStore_OpenProperty( ws.store, PR_DISPLAY_NAME_W, &IID_IMAPITable, 0, 0, (IUnknown **)&stream );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "OpenProperty(IID_IMAPITable) returned %#lx.\n", hr );
    wstore_logoff( &ws );

    hr = wstore_logon( path, MDB_WRITE, &ws );
    ok( hr == S_OK, "writable Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;

    /* computed properties are problems; the rest is written at once, and
     * the new name goes to the profile section too */
    props[1].ulPropTag = PR_ENTRYID;
    props[1].Value.bin.cb = 4;
    props[1].Value.bin.lpb = (BYTE *)"abcd";
    props[2].ulPropTag = PR_COMMENT_W;
    props[2].Value.lpszW = (WCHAR *)L"a comment";
    problems = (SPropProblemArray *)0xdeadbeef;
    hr = IMsgStore_SetProps( ws.store, 3, props, &problems );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    ok( problems && problems != (SPropProblemArray *)0xdeadbeef, "no problems.\n" );
    if (problems && problems != (SPropProblemArray *)0xdeadbeef)
    {
        ok( problems->cProblem == 1 && problems->aProblem[0].ulIndex == 1
            && problems->aProblem[0].ulPropTag == PR_ENTRYID && problems->aProblem[0].scode == MAPI_E_COMPUTED,
            "problems %lu: %lu %#lx %#lx.\n", problems->cProblem, problems->aProblem[0].ulIndex,
            problems->aProblem[0].ulPropTag, problems->aProblem[0].scode );
        test_free_buffer( problems );
    }
    check_log( "SetProps(0x3001001f); SaveChanges; " );
    ok( get_string( ws.store, PR_DISPLAY_NAME_W, name, ARRAY_SIZE(name) ) && !wcscmp( name, L"Renamed store" ),
        "display name %s.\n", wine_dbgstr_w(name) );
    ok( get_string( ws.store, PR_COMMENT_W, name, ARRAY_SIZE(name) ) && !wcscmp( name, L"a comment" ),
        "comment %s.\n", wine_dbgstr_w(name) );
    hr = IMsgStore_SaveChanges( ws.store, KEEP_OPEN_READWRITE );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );

    problems = NULL;
    hr = IMsgStore_DeleteProps( ws.store, (SPropTagArray *)&del_tags, &problems );
    ok( hr == S_OK, "DeleteProps returned %#lx.\n", hr );
    ok( problems && problems->cProblem == 1 && problems->aProblem[0].ulPropTag == PR_RECORD_KEY
        && problems->aProblem[0].scode == MAPI_E_COMPUTED, "DeleteProps problems wrong.\n" );
    if (problems) test_free_buffer( problems );
    ok( !get_string( ws.store, PR_COMMENT_W, name, ARRAY_SIZE(name) ), "the comment is still there.\n" );

    /* a big binary written through a stream */
    hr = IMsgStore_OpenProperty( ws.store, TEST_BINARY_TAG, &IID_IStream, 0, MAPI_MODIFY | MAPI_CREATE,
                                 (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty(MAPI_CREATE) returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        hr = IStream_Write( stream, big, 100000, &done );
        ok( hr == S_OK && done == 100000, "Write returned %#lx, %lu.\n", hr, done );
        hr = IStream_Commit( stream, 0 );
        ok( hr == S_OK, "Commit returned %#lx.\n", hr );
        IStream_Release( stream );
    }
    hr = IMsgStore_OpenProperty( ws.store, PR_ENTRYID, &IID_IStream, 0, MAPI_MODIFY, (IUnknown **)&stream );
    ok( hr == MAPI_E_COMPUTED, "OpenProperty(PR_ENTRYID, MAPI_MODIFY) returned %#lx.\n", hr );
    wstore_logoff( &ws );

    /* everything is in the file for the next logon */
    hr = wstore_logon( path, 0, &ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    ok( get_string( ws.store, PR_DISPLAY_NAME_W, name, ARRAY_SIZE(name) ) && !wcscmp( name, L"Renamed store" ),
        "display name %s after a new logon.\n", wine_dbgstr_w(name) );
    ok( !get_string( ws.store, PR_COMMENT_W, name, ARRAY_SIZE(name) ), "the comment came back.\n" );
    {
        SPropTagArray tags = { 1, { TEST_BINARY_TAG } };

        hr = IMsgStore_GetProps( ws.store, &tags, 0, &count, &values );
        ok( hr == S_OK && values[0].ulPropTag == TEST_BINARY_TAG && values[0].Value.bin.cb == 100000
            && !memcmp( values[0].Value.bin.lpb, big, 100000 ), "the streamed binary is wrong (%#lx).\n", hr );
        if (SUCCEEDED(hr)) test_free_buffer( values );
    }
    hr = IMsgStore_OpenProperty( ws.store, TEST_BINARY_TAG, &IID_IStream, 0, 0, (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        IStream_Seek( stream, zero, STREAM_SEEK_SET, NULL );
        hr = IStream_Read( stream, back, 100000, &done );
        ok( hr == S_OK && done == 100000 && !memcmp( back, big, 100000 ), "read back %#lx, %lu.\n", hr, done );
        IStream_Release( stream );
    }
    wstore_logoff( &ws );
done:
    free( big );
    free( back );
    DeleteFileW( path );
}

/* ------------------------------------------------------------------ */

static void check_receive_( unsigned int line, IMsgStore *store, const char *msg_class, DWORD nid,
                            const char *explicit_class )
{
    ENTRYID *entry = NULL;
    char *found = NULL;
    ULONG size = 0;
    HRESULT hr;

    hr = IMsgStore_GetReceiveFolder( store, (char *)msg_class, 0, &size, &entry, &found );
    ok_( __FILE__, line )( hr == S_OK, "GetReceiveFolder(%s) returned %#lx.\n", wine_dbgstr_a(msg_class), hr );
    if (hr != S_OK) return;
    ok_( __FILE__, line )( size == PST_ENTRYID_SIZE && entry_nid( entry ) == nid, "%s: folder %#lx, not %#lx.\n",
                           wine_dbgstr_a(msg_class), entry_nid( entry ), nid );
    ok_( __FILE__, line )( found && !strcmp( found, explicit_class ), "%s: explicit class %s, not %s.\n",
                           wine_dbgstr_a(msg_class), wine_dbgstr_a(found), explicit_class );
    test_free_buffer( entry );
    test_free_buffer( found );
}
#define check_receive(a, b, c, d) check_receive_( __LINE__, a, b, c, d )

static SPropValue *find_prop( SPropValue *props, ULONG count, ULONG tag )
{
    ULONG i;

    for (i = 0; i < count; i++) if (props[i].ulPropTag == tag) return &props[i];
    return NULL;
}

static void free_rows( SRowSet *rows )
{
    ULONG i;

    for (i = 0; i < rows->cRows; i++) test_free_buffer( rows->aRow[i].lpProps );
    test_free_buffer( rows );
}

static ULONG table_count( IMAPITable *table )
{
    ULONG rows = ~0u;

    IMAPITable_GetRowCount( table, 0, &rows );
    return rows;
}

static void test_receive_folders(void)
{
    ENTRYID *entry;
    WCHAR *found_w;
    IMAPITable *table;
    SPropTagArray *columns;
    SRowSet *rows;
    struct wstore ws;
    WCHAR path[MAX_PATH];
    BOOL ipc = FALSE;
    ULONG size, i;
    HRESULT hr;

    if (!copy_sample( "javalibpst_dist-list.pst", path ))
    {
        skip( "javalibpst_dist-list.pst is not available.\n" );
        return;
    }
    hr = wstore_logon( path, 0, &ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;

    /* the class, then its base classes, then the default */
    check_receive( ws.store, "IPM.Note.Phone", NID_INBOX, "IPM" );
    check_receive( ws.store, "IPM", NID_INBOX, "IPM" );
    check_receive( ws.store, "Report.IPM.Note.NDR", NID_INBOX, "Report.IPM" );
    check_receive( ws.store, "ipc.Something", NID_ROOT, "IPC" );
    check_receive( ws.store, "IPMX", NID_INBOX, "" );
    check_receive( ws.store, "Other.Class", NID_INBOX, "" );
    check_receive( ws.store, NULL, NID_INBOX, "" );
    check_receive( ws.store, "", NID_INBOX, "" );

    hr = IMsgStore_GetReceiveFolder( ws.store, (char *)L"IPM.Note", MAPI_UNICODE, &size, &entry, (char **)&found_w );
    ok( hr == S_OK, "GetReceiveFolder(MAPI_UNICODE) returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        ok( entry_nid( entry ) == NID_INBOX && !wcscmp( found_w, L"IPM" ), "got %#lx %s.\n", entry_nid( entry ),
            wine_dbgstr_w(found_w) );
        test_free_buffer( entry );
        test_free_buffer( found_w );
    }
    hr = IMsgStore_GetReceiveFolder( ws.store, (char *)"IPM", 0x10000, &size, &entry, NULL );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "GetReceiveFolder(bad flags) returned %#lx.\n", hr );
    hr = IMsgStore_GetReceiveFolder( ws.store, (char *)"IPM", 0, NULL, &entry, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "GetReceiveFolder(NULL size) returned %#lx.\n", hr );

    /* read-only store */
    hr = IMsgStore_SetReceiveFolder( ws.store, (char *)"IPM.Note", 0, 0, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "read-only SetReceiveFolder returned %#lx.\n", hr );

    hr = IMsgStore_GetReceiveFolderTable( ws.store, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetReceiveFolderTable returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        ok( table_count( table ) == 4, "%lu rows.\n", table_count( table ) );
        hr = IMAPITable_QueryColumns( table, 0, &columns );
        ok( hr == S_OK, "QueryColumns returned %#lx.\n", hr );
        if (hr == S_OK)
        {
            BOOL entryid = FALSE, record_key = FALSE, msg_class = FALSE;

            for (i = 0; i < columns->cValues; i++)
            {
                if (columns->aulPropTag[i] == PR_ENTRYID) entryid = TRUE;
                if (columns->aulPropTag[i] == PR_RECORD_KEY) record_key = TRUE;
                if (columns->aulPropTag[i] == PR_MESSAGE_CLASS_W) msg_class = TRUE;
            }
            ok( entryid && record_key && msg_class, "required columns missing.\n" );
            test_free_buffer( columns );
        }
        hr = IMAPITable_QueryRows( table, 10, 0, &rows );
        ok( hr == S_OK && rows->cRows == 4, "QueryRows returned %#lx.\n", hr );
        if (hr == S_OK)
        {
            for (i = 0; i < rows->cRows; i++)
            {
                SPropValue *cls = find_prop( rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_MESSAGE_CLASS_W );
                SPropValue *eid = find_prop( rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_ENTRYID );

                if (cls && eid && !wcscmp( cls->Value.lpszW, L"IPC" ))
                    ipc = entry_nid( (ENTRYID *)eid->Value.bin.lpb ) == NID_ROOT;
            }
            ok( ipc, "no IPC row for the root folder.\n" );
            free_rows( rows );
        }
        IMAPITable_Release( table );
    }
    hr = IMsgStore_GetReceiveFolderTable( ws.store, 0x10000, &table );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "GetReceiveFolderTable(bad flags) returned %#lx.\n", hr );

    /* nothing is queued without a spooler */
    hr = IMsgStore_GetOutgoingQueue( ws.store, 0, &table );
    ok( hr == S_OK, "GetOutgoingQueue returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        ok( table_count( table ) == 0, "%lu queued.\n", table_count( table ) );
        hr = IMAPITable_QueryColumns( table, 0, &columns );
        if (hr == S_OK)
        {
            BOOL submit = FALSE, time = FALSE;

            for (i = 0; i < columns->cValues; i++)
            {
                if (columns->aulPropTag[i] == PR_SUBMIT_FLAGS) submit = TRUE;
                if (columns->aulPropTag[i] == PR_CLIENT_SUBMIT_TIME) time = TRUE;
            }
            ok( submit && time, "documented columns missing.\n" );
            test_free_buffer( columns );
        }
        IMAPITable_Release( table );
    }
    hr = IMsgStore_GetOutgoingQueue( ws.store, 1, &table );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "GetOutgoingQueue(1) returned %#lx.\n", hr );
    wstore_logoff( &ws );
done:
    DeleteFileW( path );
}

static void test_receive_folders_write(void)
{
    SPropTagArray tags = { 1, { PR_IPM_WASTEBASKET_ENTRYID } };
    SPropValue *props = NULL;
    IMAPITable *table;
    struct wstore ws;
    WCHAR path[MAX_PATH];
    BYTE bad[PST_ENTRYID_SIZE];
    DWORD deleted = 0;
    ULONG count;
    HRESULT hr;

    if (!copy_sample( "pstsdk_sample1.pst", path ))
    {
        skip( "pstsdk_sample1.pst is not available.\n" );
        return;
    }
    hr = wstore_logon( path, MDB_WRITE, &ws );
    ok( hr == S_OK, "writable Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;

    check_receive( ws.store, "IPM.Note", NID_ROOT, "" );
    hr = IMsgStore_GetProps( ws.store, &tags, 0, &count, &props );
    ok( hr == S_OK && props[0].ulPropTag == PR_IPM_WASTEBASKET_ENTRYID, "GetProps returned %#lx.\n", hr );
    if (hr != S_OK) goto logoff;
    deleted = entry_nid( (ENTRYID *)props[0].Value.bin.lpb );

    hr = IMsgStore_SetReceiveFolder( ws.store, (char *)"IPM.Note", 0, props[0].Value.bin.cb,
                                     (ENTRYID *)props[0].Value.bin.lpb );
    ok( hr == S_OK, "SetReceiveFolder returned %#lx.\n", hr );
    check_receive( ws.store, "IPM.Note.Phone", deleted, "IPM.Note" );
    check_receive( ws.store, "IPM", NID_ROOT, "" );
    /* the same class in another case is the same row, which keeps the
     * latest spelling */
    hr = IMsgStore_SetReceiveFolder( ws.store, (char *)L"ipm.note", MAPI_UNICODE, props[0].Value.bin.cb,
                                     (ENTRYID *)props[0].Value.bin.lpb );
    ok( hr == S_OK, "SetReceiveFolder(MAPI_UNICODE) returned %#lx.\n", hr );
    hr = IMsgStore_GetReceiveFolderTable( ws.store, 0, &table );
    ok( hr == S_OK, "GetReceiveFolderTable returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        ok( table_count( table ) == 2, "%lu rows.\n", table_count( table ) );
        IMAPITable_Release( table );
    }

    memcpy( bad, props[0].Value.bin.lpb, sizeof(bad) );
    bad[4] ^= 0xff;
    hr = IMsgStore_SetReceiveFolder( ws.store, (char *)"IPM.Other", 0, sizeof(bad), (ENTRYID *)bad );
    ok( hr == MAPI_E_INVALID_ENTRYID, "SetReceiveFolder(foreign entry ID) returned %#lx.\n", hr );
    hr = IMsgStore_SetReceiveFolder( ws.store, (char *)"IPM", 2, 0, NULL );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "SetReceiveFolder(bad flags) returned %#lx.\n", hr );
    /* the default changes too */
    hr = IMsgStore_SetReceiveFolder( ws.store, NULL, 0, props[0].Value.bin.cb, (ENTRYID *)props[0].Value.bin.lpb );
    ok( hr == S_OK, "SetReceiveFolder(default) returned %#lx.\n", hr );
    check_receive( ws.store, "Other", deleted, "" );
logoff:
    wstore_logoff( &ws );
    if (!deleted) goto done;

    /* in the file for the next logon; a NULL folder removes a class */
    hr = wstore_logon( path, MDB_WRITE, &ws );
    ok( hr == S_OK, "writable Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    check_receive( ws.store, "IPM.Note", deleted, "ipm.note" );
    hr = IMsgStore_SetReceiveFolder( ws.store, (char *)"IPM.Note", 0, 0, NULL );
    ok( hr == S_OK, "SetReceiveFolder(NULL) returned %#lx.\n", hr );
    check_receive( ws.store, "IPM.Note", deleted, "" );
    /* removing a class that has no row, or the default, changes nothing */
    hr = IMsgStore_SetReceiveFolder( ws.store, (char *)"IPM.Nothing", 0, 0, NULL );
    ok( hr == S_OK, "SetReceiveFolder(NULL) of an unset class returned %#lx.\n", hr );
    hr = IMsgStore_SetReceiveFolder( ws.store, NULL, 0, 0, NULL );
    ok( hr == S_OK, "SetReceiveFolder(NULL, NULL) returned %#lx.\n", hr );
    check_receive( ws.store, NULL, deleted, "" );
    wstore_logoff( &ws );
done:
    if (props) test_free_buffer( props );
    DeleteFileW( path );
}

/* ------------------------------------------------------------------ */

static void check_password_( unsigned int line, const WCHAR *path, const WCHAR *password, BOOL ansi, HRESULT expect )
{
    struct wstore ws;
    HRESULT hr;

    wcscpy( profile.password, password ? password : L"" );
    profile.password_ansi = ansi;
    hr = wstore_logon( path, 0, &ws );
    ok_( __FILE__, line )( hr == expect, "Logon with password %s returned %#lx, expected %#lx.\n",
                           wine_dbgstr_w(password), hr, expect );
    if (SUCCEEDED(hr)) wstore_logoff( &ws );
    profile.password[0] = 0;
    profile.password_ansi = FALSE;
}
#define check_password(a, b, c, d) check_password_( __LINE__, a, b, c, d )

static void test_passwords(void)
{
    static const char *samples[] = { "pstsdk_test_unicode.pst", "pstsdk_test_ansi.pst" };
    SPropValue prop;
    struct wstore ws;
    WCHAR path[MAX_PATH];
    HRESULT hr;
    ULONG i;

    for (i = 0; i < ARRAY_SIZE(samples); i++)
    {
        if (!copy_sample( samples[i], path ))
        {
            skip( "%s is not available.\n", samples[i] );
            continue;
        }
        winetest_push_context( "%s", samples[i] );
        check_password( path, NULL, FALSE, MAPI_E_FAILONEPROVIDER );
        check_password( path, L"wrong", FALSE, MAPI_E_FAILONEPROVIDER );
        /* the CRC is case-sensitive */
        check_password( path, L"TEST", FALSE, MAPI_E_FAILONEPROVIDER );
        check_password( path, L"test", FALSE, S_OK );
        check_password( path, L"test", TRUE, S_OK );
        winetest_pop_context();
        DeleteFileW( path );
    }

    /* a password set through the store's properties */
    if (!copy_sample( "pstsdk_sample1.pst", path ))
    {
        skip( "pstsdk_sample1.pst is not available.\n" );
        return;
    }
    check_password( path, NULL, FALSE, S_OK );
    hr = wstore_logon( path, MDB_WRITE, &ws );
    ok( hr == S_OK, "writable Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    prop.ulPropTag = PR_PST_PASSWORD;
    prop.Value.l = pst_crc( "s3cret" );
    hr = IMsgStore_SetProps( ws.store, 1, &prop, NULL );
    ok( hr == S_OK, "SetProps(PR_PST_PASSWORD) returned %#lx.\n", hr );
    wstore_logoff( &ws );

    check_password( path, NULL, FALSE, MAPI_E_FAILONEPROVIDER );
    check_password( path, L"secret", FALSE, MAPI_E_FAILONEPROVIDER );
    check_password( path, L"s3cret", FALSE, S_OK );

    /* zero is no password */
    wcscpy( profile.password, L"s3cret" );
    hr = wstore_logon( path, MDB_WRITE, &ws );
    profile.password[0] = 0;
    ok( hr == S_OK, "writable Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    prop.Value.l = 0;
    hr = IMsgStore_SetProps( ws.store, 1, &prop, NULL );
    ok( hr == S_OK, "SetProps(PR_PST_PASSWORD) returned %#lx.\n", hr );
    wstore_logoff( &ws );
    check_password( path, NULL, FALSE, S_OK );
done:
    DeleteFileW( path );
}

START_TEST(storewrite)
{
    if (!init_winepst()) return;

    test_password_crc();
    test_named_properties();
    test_store_props();
    test_receive_folders();
    test_receive_folders_write();
    test_passwords();
    ok( !live_blocks, "%ld buffers leaked.\n", live_blocks );
}
