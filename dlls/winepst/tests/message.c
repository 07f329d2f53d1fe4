/*
 * Conformance tests of winepst's IMessage and the tables it hands out
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
 * Expected values come from independent readers of the sample files:
 * `pffexport -m all -f all -t` (libpff 20180714, OutlookHeaders.txt and
 * Recipients.txt) and pypff's record sets (entry type / value bytes), never
 * from winepst itself.
 */

#include "winepst_test.h"
#include "wincrypt.h"

struct sort_one
{
    ULONG cSorts;
    ULONG cCategories;
    ULONG cExpanded;
    SSortOrder aSort[1];
};

static const SPropValue *find_prop( const SPropValue *props, ULONG count, ULONG tag )
{
    ULONG i;

    for (i = 0; i < count; i++) if (props[i].ulPropTag == tag) return &props[i];
    return NULL;
}

/* pffexport OutlookHeaders.txt / Recipients.txt and pypff of pstsdk_sample1.pst */
static const WCHAR sample_subject[] = L"Here is a sample message";
static const WCHAR sample_body_w[] = L"With a sample attachment. It\x2019s my daughter and our puppy. Aren\x2019t they cute?\r\n\r\n";
static const char sample2_body[] = "With a sample attachment. It's my daughter and our puppy. Aren't they cute?\r\n\r\n";

static void test_message_props( IMessage *message, BOOL ansi )
{
    SizedSPropTagArray(12, tags) = { 12, { PR_SUBJECT_W, PR_BODY_W, PR_MESSAGE_SIZE, PR_MESSAGE_FLAGS,
        PR_SENDER_NAME_W, PR_OBJECT_TYPE, PR_HASATTACH, PR_ENTRYID, PR_PARENT_ENTRYID, PR_STORE_RECORD_KEY,
        PR_ACCESS_LEVEL, PR_SUBJECT_A } };
    SPropTagArray *list = NULL;
    SPropValue *props = NULL;
    ULONG count = 0, i;
    HRESULT hr;

    hr = IMessage_GetProps( message, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    ok( count == 12, "got %lu values.\n", count );
    /* the file stores \x01\x01 in front of the subject; readers strip it */
    ok( props[0].ulPropTag == PR_SUBJECT_W && !wcscmp( props[0].Value.lpszW, sample_subject ),
        "subject %#lx %s.\n", props[0].ulPropTag, wine_dbgstr_w(props[0].Value.lpszW) );
    ok( props[1].ulPropTag == PR_BODY_W, "body %#lx.\n", props[1].ulPropTag );
    if (props[1].ulPropTag == PR_BODY_W && !ansi)
        ok( !wcscmp( props[1].Value.lpszW, sample_body_w ), "body %s.\n", wine_dbgstr_w(props[1].Value.lpszW) );
    /* pffexport "Size: 106589" (sample1), pypff 0x0e08 = 0x195b5 (sample2) */
    ok( props[2].ulPropTag == PR_MESSAGE_SIZE && props[2].Value.l == (ansi ? 103861 : 106589),
        "size %ld.\n", props[2].Value.l );
    /* pffexport "Flags: 0x00000031 (Read, Has attachments, From me)" */
    ok( props[3].ulPropTag == PR_MESSAGE_FLAGS && props[3].Value.l == 0x31, "flags %#lx.\n", props[3].Value.l );
    ok( props[4].ulPropTag == PR_SENDER_NAME_W && !wcscmp( props[4].Value.lpszW, L"Terry Mahaffey" ),
        "sender %s.\n", wine_dbgstr_w(props[4].Value.lpszW) );
    ok( props[5].ulPropTag == PR_OBJECT_TYPE && props[5].Value.l == MAPI_MESSAGE, "type %ld.\n", props[5].Value.l );
    ok( props[6].ulPropTag == PR_HASATTACH && props[6].Value.b, "hasattach %#lx %d.\n", props[6].ulPropTag,
        props[6].Value.b );
    /* a PST entry ID: 4 flag bytes, the store's record key, the NID (pypff: 0x200024) */
    ok( props[7].ulPropTag == PR_ENTRYID && props[7].Value.bin.cb == 24, "entry ID %#lx.\n", props[7].ulPropTag );
    ok( props[9].ulPropTag == PR_STORE_RECORD_KEY && props[9].Value.bin.cb == 16, "store key %#lx.\n",
        props[9].ulPropTag );
    if (props[7].ulPropTag == PR_ENTRYID && props[9].ulPropTag == PR_STORE_RECORD_KEY)
    {
        ok( !memcmp( props[7].Value.bin.lpb + 4, props[9].Value.bin.lpb, 16 ), "entry ID of another store.\n" );
        ok( *(DWORD *)(props[7].Value.bin.lpb + 20) == 0x200024, "nid %#lx.\n",
            *(DWORD *)(props[7].Value.bin.lpb + 20) );
    }
    /* the folder, pypff identifier 0x8082 */
    ok( props[8].ulPropTag == PR_PARENT_ENTRYID && *(DWORD *)(props[8].Value.bin.lpb + 20) == 0x8082,
        "parent %#lx.\n", props[8].ulPropTag );
    ok( props[10].ulPropTag == PR_ACCESS_LEVEL && props[10].Value.l == 0, "access level %#lx.\n", props[10].Value.l );
    ok( props[11].ulPropTag == PR_SUBJECT_A && !strcmp( props[11].Value.lpszA, "Here is a sample message" ),
        "ANSI subject %#lx.\n", props[11].ulPropTag );
    test_free_buffer( props );

    /* every property: strings follow MAPI_UNICODE */
    hr = IMessage_GetProps( message, NULL, 0, &count, &props );
    ok( hr == S_OK || hr == MAPI_W_ERRORS_RETURNED, "GetProps(NULL) returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        const SPropValue *prop = find_prop( props, count, PR_SUBJECT_A );

        ok( prop && !strcmp( prop->Value.lpszA, "Here is a sample message" ), "no stripped ANSI subject.\n" );
        ok( find_prop( props, count, PR_STORE_ENTRYID ) != NULL, "no PR_STORE_ENTRYID.\n" );
        for (i = 0; i < count; i++)
            ok( PROP_TYPE(props[i].ulPropTag) != PT_UNICODE, "%#lx without MAPI_UNICODE.\n", props[i].ulPropTag );
        test_free_buffer( props );
    }

    hr = IMessage_GetPropList( message, MAPI_UNICODE, &list );
    ok( hr == S_OK, "GetPropList returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        BOOL entryid = FALSE, subject = FALSE;

        for (i = 0; i < list->cValues; i++)
        {
            if (list->aulPropTag[i] == PR_ENTRYID) entryid = TRUE;
            if (list->aulPropTag[i] == PR_SUBJECT_W) subject = TRUE;
        }
        ok( entryid && subject, "list without PR_ENTRYID %d or PR_SUBJECT_W %d.\n", entryid, subject );
        test_free_buffer( list );
    }

    hr = IMessage_GetProps( message, (SPropTagArray *)&tags, 0, NULL, &props );
    ok( hr == MAPI_E_INVALID_PARAMETER, "GetProps without count returned %#lx.\n", hr );
}

static void test_body_stream( IMessage *message, BOOL ansi )
{
    IStream *stream = NULL;
    STATSTG stat;
    char buffer[200];
    ULONG read;
    HRESULT hr;

    hr = IMessage_OpenProperty( message, PR_BODY_W, &IID_IStream, 0, 0, (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty(PR_BODY_W) returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    hr = IStream_Stat( stream, &stat, STATFLAG_NONAME );
    ok( hr == S_OK, "Stat returned %#lx.\n", hr );
    /* UTF-16LE without a terminator: 79 characters */
    ok( stat.cbSize.QuadPart == 79 * sizeof(WCHAR), "size %s.\n", wine_dbgstr_longlong(stat.cbSize.QuadPart) );
    ok( stat.grfMode == (STGM_READ | STGM_SHARE_DENY_NONE), "mode %#lx.\n", stat.grfMode );
    memset( buffer, 0, sizeof(buffer) );
    hr = IStream_Read( stream, buffer, sizeof(buffer), &read );
    ok( hr == S_OK && read == 158, "Read returned %#lx, %lu.\n", hr, read );
    if (!ansi) ok( !memcmp( buffer, sample_body_w, 158 ), "body %s.\n", wine_dbgstr_wn( (WCHAR *)buffer, 79 ) );
    else ok( !memcmp( buffer, L"With a sample", 26 ), "body %s.\n", wine_dbgstr_wn( (WCHAR *)buffer, 79 ) );
    IStream_Release( stream );

    hr = IMessage_OpenProperty( message, PR_BODY_A, &IID_IStream, 0, 0, (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty(PR_BODY_A) returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        memset( buffer, 0, sizeof(buffer) );
        hr = IStream_Read( stream, buffer, sizeof(buffer), &read );
        ok( hr == S_OK && read == 79, "Read returned %#lx, %lu.\n", hr, read );
        if (ansi) ok( !strcmp( buffer, sample2_body ), "body %s.\n", debugstr_a(buffer) );
        IStream_Release( stream );
    }

    /* pypff: the HTML body is 1701 bytes, PT_BINARY in sample1 but
     * PT_STRING8 in the ANSI sample2; PT_BINARY streams either */
    hr = IMessage_OpenProperty( message, PR_HTML, &IID_IStream, 0, 0, (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty(PR_HTML) returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        hr = IStream_Stat( stream, &stat, STATFLAG_NONAME );
        ok( stat.cbSize.QuadPart == 1701, "size %s.\n", wine_dbgstr_longlong(stat.cbSize.QuadPart) );
        IStream_Release( stream );
    }
}

static void test_open_property( IMessage *message )
{
    IUnknown *unk;
    HRESULT hr;

    unk = (IUnknown *)0xdeadbeef;
    hr = IMessage_OpenProperty( message, PR_RTF_COMPRESSED, &IID_IStream, 0, 0, &unk );
    ok( hr == MAPI_E_NOT_FOUND, "absent property gave %#lx.\n", hr );
    ok( !unk, "got %p.\n", unk );
    hr = IMessage_OpenProperty( message, PR_MESSAGE_SIZE, &IID_IStream, 0, 0, &unk );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "a PT_LONG stream gave %#lx.\n", hr );
    hr = IMessage_OpenProperty( message, PR_BODY_W, &IID_IMessage, 0, 0, &unk );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "IMessage on the body gave %#lx.\n", hr );
    hr = IMessage_OpenProperty( message, PR_BODY_W, &IID_IStream, 0, MAPI_MODIFY, &unk );
    ok( hr == MAPI_E_NO_ACCESS, "MAPI_MODIFY gave %#lx.\n", hr );
    hr = IMessage_OpenProperty( message, PR_BODY_W, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY, &unk );
    ok( hr == MAPI_E_NO_ACCESS, "MAPI_CREATE gave %#lx.\n", hr );
    hr = IMessage_OpenProperty( message, PROP_TAG(PT_UNSPECIFIED, 0x1000), &IID_IStream, 0, 0, &unk );
    ok( hr == MAPI_E_INVALID_PARAMETER, "PT_UNSPECIFIED gave %#lx.\n", hr );
    hr = IMessage_OpenProperty( message, PR_BODY_W, NULL, 0, 0, &unk );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no IID gave %#lx.\n", hr );
    hr = IMessage_OpenProperty( message, PR_BODY_W, &IID_IStream, 0, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no pointer gave %#lx.\n", hr );
    hr = IMessage_OpenProperty( message, PR_MESSAGE_RECIPIENTS, &IID_IMAPITable, 0, 0, &unk );
    ok( hr == S_OK, "the recipient table property gave %#lx.\n", hr );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );
}

static void test_read_only( IMessage *message )
{
    SizedSPropTagArray(1, tags) = { 1, { PR_SUBJECT_W } };
    SPropValue prop = { PR_SUBJECT_W };
    ADRLIST list = { 0 };
    IAttach *attach;
    ULONG num;
    HRESULT hr;

    prop.Value.lpszW = (WCHAR *)L"x";
    hr = IMessage_SetProps( message, 1, &prop, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "SetProps returned %#lx.\n", hr );
    hr = IMessage_SetProps( message, 1, NULL, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "SetProps(NULL) returned %#lx.\n", hr );
    hr = IMessage_DeleteProps( message, (SPropTagArray *)&tags, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "DeleteProps returned %#lx.\n", hr );
    hr = IMessage_DeleteProps( message, NULL, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "DeleteProps(NULL) returned %#lx.\n", hr );
    hr = IMessage_SaveChanges( message, KEEP_OPEN_READWRITE );
    ok( hr == MAPI_E_NO_ACCESS, "SaveChanges returned %#lx.\n", hr );
    hr = IMessage_SaveChanges( message, 0x80000000 );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "SaveChanges(bad flag) returned %#lx.\n", hr );
    hr = IMessage_CreateAttach( message, NULL, 0, &num, &attach );
    ok( hr == MAPI_E_NO_ACCESS, "CreateAttach returned %#lx.\n", hr );
    hr = IMessage_CreateAttach( message, NULL, 0, NULL, &attach );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CreateAttach(NULL) returned %#lx.\n", hr );
    hr = IMessage_DeleteAttach( message, 0x8025, 0, NULL, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "DeleteAttach returned %#lx.\n", hr );
    hr = IMessage_ModifyRecipients( message, MODRECIP_ADD, &list );
    ok( hr == MAPI_E_NO_ACCESS, "ModifyRecipients returned %#lx.\n", hr );
    hr = IMessage_ModifyRecipients( message, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "ModifyRecipients(NULL) returned %#lx.\n", hr );
    hr = IMessage_SubmitMessage( message, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "SubmitMessage returned %#lx.\n", hr );
    hr = IMessage_SetReadFlag( message, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "SetReadFlag returned %#lx.\n", hr );
    hr = IMessage_SetReadFlag( message, 0x80000000 );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "SetReadFlag(bad flag) returned %#lx.\n", hr );
    hr = IMessage_CopyProps( message, (SPropTagArray *)&tags, 0, NULL, &IID_IMessage, message, MAPI_MOVE, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "CopyProps(MAPI_MOVE) returned %#lx.\n", hr );
    hr = IMessage_CopyProps( message, (SPropTagArray *)&tags, 0, NULL, &IID_IMessage, NULL, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyProps(NULL) returned %#lx.\n", hr );
    /* checked before the copy reaches the support object */
    hr = IMessage_CopyTo( message, 0, NULL, NULL, 0, NULL, &IID_IMAPIFolder, message, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyTo(IMAPIFolder) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( message, 1, &IID_IMAPIProp, NULL, 0, NULL, &IID_IMessage, message, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyTo(IMAPIProp excluded) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( message, 0, NULL, NULL, 0, NULL, &IID_IMessage, message, 0x100, NULL );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "CopyTo(0x100) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( message, 0, NULL, NULL, 0, NULL, &IID_IMessage, message, 0, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "CopyTo(itself) returned %#lx.\n", hr );
}

static void test_recipients( IMessage *message )
{
    SizedSPropTagArray(5, columns) = { 5, { PR_ROWID, PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W, PR_ADDRTYPE_W,
                                            PR_RECIPIENT_TYPE } };
    struct sort_one sort = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND } } };
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG count;
    HRESULT hr;

    hr = IMessage_GetRecipientTable( message, 0x2, &table );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "bad flags gave %#lx.\n", hr );
    hr = IMessage_GetRecipientTable( message, MAPI_UNICODE, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no pointer gave %#lx.\n", hr );
    hr = IMessage_GetRecipientTable( message, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetRecipientTable returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK && count == 1, "GetRowCount returned %#lx, %lu.\n", hr, count );
    hr = IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    hr = IMAPITable_SortTable( table, (SSortOrderSet *)&sort, 0 );
    ok( hr == S_OK, "SortTable returned %#lx.\n", hr );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK && rows->cRows == 1, "QueryRows returned %#lx.\n", hr );
    if (SUCCEEDED(hr) && rows->cRows == 1)
    {
        SPropValue *props = rows->aRow[0].lpProps;

        /* pffexport Recipients.txt */
        ok( props[0].ulPropTag == PR_ROWID && props[0].Value.l == 0, "row ID %#lx %ld.\n", props[0].ulPropTag,
            props[0].Value.l );
        ok( props[1].ulPropTag == PR_DISPLAY_NAME_W && !wcscmp( props[1].Value.lpszW, L"Terry Mahaffey" ),
            "display name %s.\n", wine_dbgstr_w(props[1].Value.lpszW) );
        ok( props[2].ulPropTag == PR_EMAIL_ADDRESS_W
            && !wcscmp( props[2].Value.lpszW, L"/O=MICROSOFT/OU=Northamerica/cn=Recipients/cn=terrymah1" ),
            "address %s.\n", wine_dbgstr_w(props[2].Value.lpszW) );
        ok( props[3].ulPropTag == PR_ADDRTYPE_W && !wcscmp( props[3].Value.lpszW, L"EX" ), "type %s.\n",
            wine_dbgstr_w(props[3].Value.lpszW) );
        ok( props[4].ulPropTag == PR_RECIPIENT_TYPE && props[4].Value.l == MAPI_TO, "recipient type %ld.\n",
            props[4].Value.l );
        test_free_buffer( props );
    }
    if (rows) test_free_buffer( rows );
    IMAPITable_Release( table );

    /* without MAPI_UNICODE the string columns are ANSI */
    hr = IMessage_GetRecipientTable( message, 0, &table );
    ok( hr == S_OK, "GetRecipientTable returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        SPropTagArray *cols = NULL;
        ULONG i;
        BOOL ansi = FALSE;

        hr = IMAPITable_QueryColumns( table, 0, &cols );
        ok( hr == S_OK, "QueryColumns returned %#lx.\n", hr );
        for (i = 0; cols && i < cols->cValues; i++)
        {
            ok( PROP_TYPE(cols->aulPropTag[i]) != PT_UNICODE, "column %#lx.\n", cols->aulPropTag[i] );
            if (cols->aulPropTag[i] == PR_DISPLAY_NAME_A) ansi = TRUE;
        }
        ok( ansi, "no PR_DISPLAY_NAME_A column.\n" );
        if (cols) test_free_buffer( cols );
        IMAPITable_Release( table );
    }
}

static void test_logoff( struct sample *sample, IMessage *message )
{
    IMAPITable *table = NULL, *table2;
    IStream *stream = NULL;
    SPropValue *props;
    char buffer[4];
    ULONG count, zero = 0;
    HRESULT hr;

    hr = IMessage_GetRecipientTable( message, 0, &table );
    ok( hr == S_OK, "GetRecipientTable returned %#lx.\n", hr );
    hr = IMessage_OpenProperty( message, PR_BODY_W, &IID_IStream, 0, 0, (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty returned %#lx.\n", hr );

    /* as IMAPISession::Logoff does it, with the objects still held */
    sample->support.logging_off = TRUE;
    hr = IMSLogon_Logoff( sample->ms_logon, &zero );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    check_log( "StoreLogoffTransports(0x8); support final release; " );
    /* MAPI's reference */
    IMSLogon_Release( sample->ms_logon );

    hr = IMessage_GetProps( message, NULL, 0, &count, &props );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProps returned %#lx.\n", hr );
    hr = IMessage_GetRecipientTable( message, 0, &table2 );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetRecipientTable returned %#lx.\n", hr );
    hr = IMessage_SetReadFlag( message, 0 );
    ok( hr == MAPI_E_INVALID_OBJECT, "SetReadFlag returned %#lx.\n", hr );
    hr = IMessage_OpenAttach( message, 0x8025, NULL, 0, (IAttach **)&table2 );
    ok( hr == MAPI_E_INVALID_OBJECT, "OpenAttach returned %#lx.\n", hr );
    if (table)
    {
        hr = IMAPITable_GetRowCount( table, 0, &count );
        ok( hr == MAPI_E_INVALID_OBJECT, "GetRowCount returned %#lx.\n", hr );
        ok( !IMAPITable_Release( table ), "table still referenced.\n" );
    }
    if (stream)
    {
        /* IStream's own code for a stream whose storage went away */
        hr = IStream_Read( stream, buffer, sizeof(buffer), &count );
        ok( hr == STG_E_REVERTED, "Read returned %#lx.\n", hr );
        ok( !IStream_Release( stream ), "stream still referenced.\n" );
    }
    ok( !IMessage_Release( message ), "message still referenced.\n" );
}

static void test_sample( const char *name, const WCHAR *folder, BOOL ansi )
{
    struct sample sample;
    IMessage *message;

    winetest_push_context( "%s", name );
    if (!open_sample( name, &sample ))
    {
        winetest_pop_context();
        return;
    }
    if ((message = open_first_message( sample.store, folder )))
    {
        test_message_props( message, ansi );
        test_body_stream( message, ansi );
        test_open_property( message );
        test_read_only( message );
        test_recipients( message );
        test_logoff( &sample, message );
    }
    close_sample( &sample );
    winetest_pop_context();
}

START_TEST(message)
{
    if (!init_winepst()) return;
    if (!getenv( "WINEMAPIX_TEST_DATA" ))
    {
        skip( "no sample PST files: set WINEMAPIX_TEST_DATA\n" );
        return;
    }
    test_sample( "pstsdk_sample1.pst", L"Sample1", FALSE );
    test_sample( "pstsdk_sample2.pst", L"Sample2", TRUE );
    ok( live_blocks == 0, "%ld buffers leaked.\n", live_blocks );
    ok( pDllCanUnloadNow() == S_OK, "objects are alive after the test.\n" );
}
