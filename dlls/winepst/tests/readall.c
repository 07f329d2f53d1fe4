/*
 * winepst tests: reading messages the fast way (OpenEntry, GetProps,
 * Release over a whole folder) gives what the file holds
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

/* Facts of pstsdk_sample1.pst, from pypff: folder "Sample1" (identifier
 * 32898, NID 0x8082) holds one message, NID 0x200024, whose stored
 * PR_SUBJECT_W is 0x01 0x01 "Here is a sample message", PR_SENDER_NAME_W
 * "Terry Mahaffey", PR_MESSAGE_SIZE 0x1a05d, PR_MESSAGE_FLAGS 0x31. */
#define SAMPLE_FOLDER_NID   0x8082
#define SAMPLE_MESSAGE_NID  0x200024
#define SAMPLE_MESSAGE_SIZE 0x1a05d

static DWORD nid_of( const SPropValue *prop )
{
    DWORD nid;

    if (PROP_TYPE(prop->ulPropTag) != PT_BINARY || prop->Value.bin.cb != 24) return 0;
    memcpy( &nid, prop->Value.bin.lpb + 20, sizeof(nid) );
    return nid;
}

static const SPropValue *find_prop( const SPropValue *props, ULONG count, ULONG tag )
{
    ULONG i;

    for (i = 0; i < count; i++) if (props[i].ulPropTag == tag) return &props[i];
    return NULL;
}

/* The message's entry ID, from the contents table of "Sample1". */
static BOOL sample_message_entry( IMsgStore *store, BYTE *entry, ULONG *size )
{
    IMessage *message = open_first_message( store, L"Sample1" );
    SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    SPropValue *props;
    ULONG count;
    HRESULT hr;

    if (!message) return FALSE;
    hr = IMessage_GetProps( message, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    IMessage_Release( message );
    if (FAILED(hr)) return FALSE;
    ok( props[0].ulPropTag == PR_ENTRYID && props[0].Value.bin.cb <= 64, "PR_ENTRYID %#lx.\n", props[0].ulPropTag );
    *size = props[0].Value.bin.cb;
    memcpy( entry, props[0].Value.bin.lpb, *size );
    test_free_buffer( props );
    return TRUE;
}

/* What the readall loop asks for, and the rest of the message's answers,
 * are the same however often the message is opened. */
static void test_open_getprops(void)
{
    static const SizedSPropTagArray(5, tags) =
        { 5, { PR_SUBJECT_W, PR_SENDER_NAME_W, PR_MESSAGE_SIZE, PR_PARENT_ENTRYID, PR_ENTRYID } };
    static const SizedSPropTagArray(1, size_only) = { 1, { PR_MESSAGE_SIZE } };
    static const SizedSPropTagArray(1, store_only) = { 1, { PR_STORE_ENTRYID } };
    static const SizedSPropTagArray(1, subject_a) = { 1, { PR_SUBJECT_A } };
    const SPropValue *prop;
    struct sample sample;
    SPropTagArray *list;
    SPropValue *props;
    IMessage *message;
    ULONG count, type, size, round;
    BYTE entry[64], *page;
    HRESULT hr;

    if (!open_sample( "pstsdk_sample1.pst", &sample ))
    {
        skip( "pstsdk_sample1.pst is not available.\n" );
        return;
    }
    if (!sample_message_entry( sample.store, entry, &size ))
    {
        close_sample( &sample );
        return;
    }

    call_log[0] = 0;
    for (round = 0; round < 50; round++)
    {
        message = NULL;
        hr = IMsgStore_OpenEntry( sample.store, size, (ENTRYID *)entry, NULL, 0, &type, (IUnknown **)&message );
        ok( hr == S_OK && type == MAPI_MESSAGE, "OpenEntry returned %#lx, type %lu.\n", hr, type );
        if (FAILED(hr)) break;

        /* the store entry ID is MAPI's to wrap: not done unless asked for */
        sample.support.entryid_size = 0;
        hr = IMessage_GetProps( message, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK && count == 5, "GetProps returned %#lx, %lu values.\n", hr, count );
        ok( !sample.support.entryid_size, "WrapStoreEntryID was called for %lu bytes.\n",
            sample.support.entryid_size );
        if (SUCCEEDED(hr))
        {
            ok( props[0].ulPropTag == PR_SUBJECT_W && !wcscmp( props[0].Value.lpszW, L"Here is a sample message" ),
                "subject %#lx %s.\n", props[0].ulPropTag,
                props[0].ulPropTag == PR_SUBJECT_W ? wine_dbgstr_w(props[0].Value.lpszW) : "" );
            ok( props[1].ulPropTag == PR_SENDER_NAME_W && !wcscmp( props[1].Value.lpszW, L"Terry Mahaffey" ),
                "sender %#lx.\n", props[1].ulPropTag );
            ok( props[2].ulPropTag == PR_MESSAGE_SIZE && props[2].Value.l == SAMPLE_MESSAGE_SIZE,
                "size %#lx %#lx.\n", props[2].ulPropTag, props[2].Value.l );
            /* the folder comes from the message's own node */
            ok( props[3].ulPropTag == PR_PARENT_ENTRYID && nid_of( &props[3] ) == SAMPLE_FOLDER_NID,
                "parent %#lx, NID %#lx.\n", props[3].ulPropTag, nid_of( &props[3] ) );
            ok( props[4].ulPropTag == PR_ENTRYID && nid_of( &props[4] ) == SAMPLE_MESSAGE_NID,
                "entry ID %#lx, NID %#lx.\n", props[4].ulPropTag, nid_of( &props[4] ) );
            test_free_buffer( props );
        }
        if (round) goto next;

        hr = IMessage_GetProps( message, (SPropTagArray *)&size_only, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK && count == 1, "GetProps returned %#lx, %lu values.\n", hr, count );
        if (SUCCEEDED(hr))
        {
            ok( props[0].ulPropTag == PR_MESSAGE_SIZE && props[0].Value.l == SAMPLE_MESSAGE_SIZE,
                "size %#lx %#lx.\n", props[0].ulPropTag, props[0].Value.l );
            test_free_buffer( props );
        }

        /* asked for, the store entry ID is MAPI's wrapping of ours */
        hr = IMessage_GetProps( message, (SPropTagArray *)&store_only, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK && count == 1, "GetProps returned %#lx, %lu values.\n", hr, count );
        ok( sample.support.entryid_size, "WrapStoreEntryID was not called.\n" );
        if (SUCCEEDED(hr))
        {
            ok( props[0].ulPropTag == PR_STORE_ENTRYID && props[0].Value.bin.cb == sample.support.entryid_size + 4
                && props[0].Value.bin.lpb[0] == 0xcc
                && !memcmp( props[0].Value.bin.lpb + 4, sample.support.entryid, sample.support.entryid_size ),
                "store entry ID %#lx, %lu bytes.\n", props[0].ulPropTag, props[0].Value.bin.cb );
            test_free_buffer( props );
        }

        hr = IMessage_GetProps( message, (SPropTagArray *)&subject_a, 0, &count, &props );
        ok( hr == S_OK && count == 1, "GetProps returned %#lx, %lu values.\n", hr, count );
        if (SUCCEEDED(hr))
        {
            ok( props[0].ulPropTag == PR_SUBJECT_A && !strcmp( props[0].Value.lpszA, "Here is a sample message" ),
                "subject %#lx %s.\n", props[0].ulPropTag,
                props[0].ulPropTag == PR_SUBJECT_A ? props[0].Value.lpszA : "" );
            test_free_buffer( props );
        }

        /* a count running past the end of readable memory is refused, not
         * followed (the tags are looked at before the values are read) */
        if ((page = VirtualAlloc( NULL, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE )))
        {
            SPropTagArray *bad = (SPropTagArray *)(page + 0x1000 - CbNewSPropTagArray(1));

            bad->cValues = 0x10000;
            bad->aulPropTag[0] = PR_SUBJECT_W;
            hr = IMessage_GetProps( message, bad, MAPI_UNICODE, &count, &props );
            ok( hr == MAPI_E_INVALID_PARAMETER, "GetProps returned %#lx.\n", hr );
            VirtualFree( page, 0, MEM_RELEASE );
        }

        /* a NULL tag list still computes everything */
        sample.support.entryid_size = 0;
        hr = IMessage_GetProps( message, NULL, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK, "GetProps(NULL) returned %#lx.\n", hr );
        ok( sample.support.entryid_size, "WrapStoreEntryID was not called.\n" );
        if (SUCCEEDED(hr))
        {
            prop = find_prop( props, count, PR_SUBJECT_W );
            ok( prop && !wcscmp( prop->Value.lpszW, L"Here is a sample message" ), "no stripped subject.\n" );
            prop = find_prop( props, count, PR_STORE_ENTRYID );
            ok( prop && prop->Value.bin.cb == sample.support.entryid_size + 4, "no store entry ID.\n" );
            prop = find_prop( props, count, PR_PARENT_ENTRYID );
            ok( prop && nid_of( prop ) == SAMPLE_FOLDER_NID, "no parent entry ID.\n" );
            prop = find_prop( props, count, PR_MESSAGE_SIZE );
            ok( prop && prop->Value.l == SAMPLE_MESSAGE_SIZE, "no message size.\n" );
            prop = find_prop( props, count, PR_SENDER_NAME_W );
            ok( prop && !wcscmp( prop->Value.lpszW, L"Terry Mahaffey" ), "no sender name.\n" );
            hr = IMessage_GetPropList( message, MAPI_UNICODE, &list );
            ok( hr == S_OK, "GetPropList returned %#lx.\n", hr );
            if (SUCCEEDED(hr))
            {
                ok( list->cValues == count, "%lu tags, %lu values.\n", list->cValues, count );
                test_free_buffer( list );
            }
            test_free_buffer( props );
        }
next:
        ok( !IMessage_Release( message ), "the message is still referenced.\n" );
    }
    /* reading tells MAPI nothing (no notification, no status change) */
    check_log( "" );

    /* a message opened before logoff answers no more */
    hr = IMsgStore_OpenEntry( sample.store, size, (ENTRYID *)entry, NULL, 0, &type, (IUnknown **)&message );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        count = 0;
        hr = IMSLogon_Logoff( sample.ms_logon, &count );
        ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
        hr = IMessage_GetProps( message, (SPropTagArray *)&size_only, MAPI_UNICODE, &count, &props );
        ok( hr == MAPI_E_INVALID_OBJECT, "GetProps after logoff returned %#lx.\n", hr );
        ok( !IMessage_Release( message ), "the message is still referenced.\n" );
    }
    close_sample( &sample );
}

/* Commits write blocks and pages where earlier reads found other bytes
 * (freed space is reused): what is read after each commit is what it
 * wrote, short values and values bigger than any read buffer alike. */
static void test_reads_after_commits(void)
{
    static const SizedSPropTagArray(2, tags) = { 2, { PR_SUBJECT_W, PR_BODY_W } };
    IMSProvider *provider;
    struct support support;
    IMSLogon *ms_logon = NULL;
    IMsgStore *store = NULL;
    IMessage *writer = NULL, *reader;
    BYTE *security = NULL, entry[64];
    ULONG security_size = 0, count, type, size, round, i, chars;
    MAPIERROR *error = NULL;
    WCHAR path[MAX_PATH], subject[32], *body;
    SPropValue values[2], *props;
    HRESULT hr;

    if (!copy_sample( "pstsdk_sample1.pst", path ))
    {
        skip( "pstsdk_sample1.pst is not available.\n" );
        return;
    }
    provider = create_provider();
    wcscpy( profile.path, path );
    init_support( &support );
    hr = IMSProvider_Logon( provider, &support.IMAPISupport_iface, 0, NULL, 0, NULL,
                            MDB_NO_DIALOG | MAPI_UNICODE | MDB_WRITE, NULL, &security_size, &security, &error,
                            &ms_logon, &store );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (error) test_free_buffer( error );
    if (SUCCEEDED(hr))
    {
        support.logon = ms_logon;
        IMSLogon_AddRef( ms_logon );
    }
    IMAPISupport_Release( &support.IMAPISupport_iface );
    if (FAILED(hr) || !sample_message_entry( store, entry, &size ) || !(body = malloc( 70000 * sizeof(WCHAR) )))
    {
        if (SUCCEEDED(hr))
        {
            IMsgStore_Release( store );
            IMSLogon_Release( ms_logon );
        }
        IMSProvider_Release( provider );
        DeleteFileW( path );
        return;
    }

    hr = IMsgStore_OpenEntry( store, size, (ENTRYID *)entry, NULL, MAPI_MODIFY, &type, (IUnknown **)&writer );
    ok( hr == S_OK, "OpenEntry(MAPI_MODIFY) returned %#lx.\n", hr );
    for (round = 0; SUCCEEDED(hr) && round < 8; round++)
    {
        /* 2 KiB to 64 KiB of body: some blocks fit a read buffer, some do not */
        chars = round & 1 ? 1000 + round * 8000 : 1000 + round * 500;
        for (i = 0; i < chars; i++) body[i] = 'a' + (i * 7 + round) % 26;
        body[chars] = 0;
        swprintf( subject, ARRAY_SIZE(subject), L"round %lu", round );
        values[0].ulPropTag = PR_SUBJECT_W;
        values[0].Value.lpszW = subject;
        values[1].ulPropTag = PR_BODY_W;
        values[1].Value.lpszW = body;
        hr = IMessage_SetProps( writer, 2, values, NULL );
        ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
        hr = IMessage_SaveChanges( writer, KEEP_OPEN_READWRITE );
        ok( hr == S_OK, "round %lu: SaveChanges returned %#lx.\n", round, hr );

        hr = IMsgStore_OpenEntry( store, size, (ENTRYID *)entry, NULL, 0, &type, (IUnknown **)&reader );
        ok( hr == S_OK, "round %lu: OpenEntry returned %#lx.\n", round, hr );
        if (FAILED(hr)) break;
        hr = IMessage_GetProps( reader, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK && count == 2, "round %lu: GetProps returned %#lx.\n", round, hr );
        if (SUCCEEDED(hr))
        {
            ok( props[0].ulPropTag == PR_SUBJECT_W && !wcscmp( props[0].Value.lpszW, subject ),
                "round %lu: subject %#lx.\n", round, props[0].ulPropTag );
            ok( props[1].ulPropTag == PR_BODY_W && !wcscmp( props[1].Value.lpszW, body ),
                "round %lu: body %#lx, %u chars.\n", round, props[1].ulPropTag,
                props[1].ulPropTag == PR_BODY_W ? (unsigned int)wcslen( props[1].Value.lpszW ) : 0 );
            test_free_buffer( props );
        }
        IMessage_Release( reader );
    }
    if (writer) IMessage_Release( writer );
    free( body );

    count = 0;
    hr = IMSLogon_Logoff( ms_logon, &count );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    IMsgStore_Release( store );
    IMSLogon_Release( ms_logon );
    ok( !IMSProvider_Release( provider ), "the provider is still referenced.\n" );
    DeleteFileW( path );
}

START_TEST(readall)
{
    if (!init_winepst()) return;
    test_open_getprops();
    test_reads_after_commits();
}
