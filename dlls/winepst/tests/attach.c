/*
 * Conformance tests of winepst's IAttach, its streams and embedded messages
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
 * Expected values come from `pffexport -m all -f all -t` (the exported
 * attachment file 1_leah_thumper.jpg: 93142 bytes, SHA-1 by sha1sum) and
 * pypff's record sets, never from winepst itself.
 */

#include "winepst_test.h"
#include "wincrypt.h"

/* pffexport Attachments/1_leah_thumper.jpg of both samples (identical) */
static const BYTE jpeg_sha1[20] =
{
    0x5c, 0x81, 0x3c, 0xfb, 0x97, 0x2f, 0xce, 0x84, 0x44, 0x2a,
    0x9d, 0x65, 0x9f, 0x6f, 0x9c, 0xa3, 0x36, 0xea, 0x12, 0x9e
};
static const BYTE jpeg_head[16] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46,
                                    0x49, 0x46, 0x00, 0x01, 0x01, 0x01, 0x00, 0x48 };
static const BYTE jpeg_tail[8] = { 0xc2, 0x9f, 0xa5, 0x00, 0xf4, 0x3f, 0xff, 0xd9 };
static const BYTE jpeg_65531[10] = { 0xad, 0xca, 0xb1, 0xee, 0x7d, 0xab, 0x8d, 0xd5, 0x74, 0x5d };
#define JPEG_SIZE 93142

/* pypff: the attachment's subnode NID, the attachment table's row ID */
#define ATTACH_NID 0x8025

static IAttach *open_only_attachment( IMessage *message, ULONG expect_size )
{
    SizedSPropTagArray(4, columns) = { 4, { PR_ATTACH_NUM, PR_ATTACH_SIZE, PR_ATTACH_METHOD, PR_INSTANCE_KEY } };
    IMAPITable *table = NULL;
    IAttach *attach = NULL;
    SRowSet *rows = NULL;
    ULONG num = 0;
    HRESULT hr;

    hr = IMessage_GetAttachmentTable( message, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetAttachmentTable returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    hr = IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK && rows->cRows == 1, "QueryRows returned %#lx.\n", hr );
    if (SUCCEEDED(hr) && rows->cRows == 1)
    {
        SPropValue *props = rows->aRow[0].lpProps;

        ok( props[0].ulPropTag == PR_ATTACH_NUM && props[0].Value.l == ATTACH_NID, "attach num %#lx %#lx.\n",
            props[0].ulPropTag, props[0].Value.l );
        num = props[0].Value.l;
        ok( props[1].ulPropTag == PR_ATTACH_SIZE && props[1].Value.l == expect_size, "size %ld.\n",
            props[1].Value.l );
        ok( props[3].ulPropTag == PR_INSTANCE_KEY, "no instance key %#lx.\n", props[3].ulPropTag );
        test_free_buffer( props );
    }
    if (rows) test_free_buffer( rows );
    IMAPITable_Release( table );

    hr = IMessage_OpenAttach( message, 0x1234, NULL, 0, &attach );
    ok( hr == MAPI_E_NOT_FOUND, "a missing attachment gave %#lx.\n", hr );
    hr = IMessage_OpenAttach( message, num, NULL, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no pointer gave %#lx.\n", hr );
    hr = IMessage_OpenAttach( message, num, NULL, MAPI_MODIFY, &attach );
    ok( hr == MAPI_E_NO_ACCESS, "MAPI_MODIFY gave %#lx.\n", hr );
    attach = NULL;
    hr = IMessage_OpenAttach( message, num, NULL, 0, &attach );
    ok( hr == S_OK, "OpenAttach returned %#lx.\n", hr );
    return attach;
}

static void check_sha1( const BYTE *data, ULONG size )
{
    HCRYPTPROV prov;
    HCRYPTHASH hash;
    BYTE digest[20];
    DWORD len = sizeof(digest);

    if (!CryptAcquireContextW( &prov, NULL, NULL, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT ))
    {
        skip( "no crypto provider.\n" );
        return;
    }
    CryptCreateHash( prov, CALG_SHA1, 0, 0, &hash );
    CryptHashData( hash, data, size, 0 );
    CryptGetHashParam( hash, HP_HASHVAL, digest, &len, 0 );
    ok( !memcmp( digest, jpeg_sha1, sizeof(digest) ), "the attachment's SHA-1 differs.\n" );
    CryptDestroyHash( hash );
    CryptReleaseContext( prov, 0 );
}

static void test_attach_stream( IAttach *attach )
{
    LARGE_INTEGER move;
    ULARGE_INTEGER pos, copy_size, copied, written;
    IStream *stream = NULL, *clone = NULL;
    BYTE *data, buffer[16];
    ULONG read, total;
    STATSTG stat;
    HRESULT hr;

    hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty returned %#lx.\n", hr );
    if (FAILED(hr)) return;

    hr = IStream_Stat( stream, &stat, STATFLAG_NONAME );
    ok( hr == S_OK && stat.cbSize.QuadPart == JPEG_SIZE, "Stat returned %#lx, size %s.\n", hr,
        wine_dbgstr_longlong(stat.cbSize.QuadPart) );
    ok( stat.type == STGTY_STREAM && !stat.pwcsName, "type %lu name %p.\n", stat.type, stat.pwcsName );
    hr = IStream_Stat( stream, NULL, STATFLAG_NONAME );
    ok( hr == STG_E_INVALIDPOINTER, "Stat(NULL) returned %#lx.\n", hr );

    /* the whole value in odd-sized chunks */
    data = malloc( JPEG_SIZE + 100 );
    for (total = 0;; total += read)
    {
        hr = IStream_Read( stream, data + total, 997, &read );
        ok( hr == S_OK, "Read returned %#lx.\n", hr );
        if (FAILED(hr) || !read) break;
    }
    ok( total == JPEG_SIZE, "read %lu bytes.\n", total );
    ok( !memcmp( data, jpeg_head, sizeof(jpeg_head) ), "wrong first bytes.\n" );
    ok( !memcmp( data + JPEG_SIZE - 8, jpeg_tail, sizeof(jpeg_tail) ), "wrong last bytes.\n" );
    check_sha1( data, total );

    /* seeking from every origin */
    move.QuadPart = 65531;
    hr = IStream_Seek( stream, move, STREAM_SEEK_SET, &pos );
    ok( hr == S_OK && pos.QuadPart == 65531, "Seek(SET) returned %#lx, %s.\n", hr, wine_dbgstr_longlong(pos.QuadPart) );
    hr = IStream_Read( stream, buffer, 10, &read );
    ok( hr == S_OK && read == 10 && !memcmp( buffer, jpeg_65531, 10 ), "Read across a block returned %#lx, %lu.\n",
        hr, read );
    move.QuadPart = -10;
    hr = IStream_Seek( stream, move, STREAM_SEEK_CUR, &pos );
    ok( hr == S_OK && pos.QuadPart == 65531, "Seek(CUR) returned %#lx.\n", hr );
    move.QuadPart = -8;
    hr = IStream_Seek( stream, move, STREAM_SEEK_END, &pos );
    ok( hr == S_OK && pos.QuadPart == JPEG_SIZE - 8, "Seek(END) returned %#lx.\n", hr );
    hr = IStream_Read( stream, buffer, 16, &read );
    ok( hr == S_OK && read == 8 && !memcmp( buffer, jpeg_tail, 8 ), "Read at the end returned %#lx, %lu.\n", hr,
        read );
    hr = IStream_Read( stream, buffer, 16, &read );
    ok( hr == S_OK && !read, "Read past the end returned %#lx, %lu.\n", hr, read );
    move.QuadPart = 100;
    hr = IStream_Seek( stream, move, STREAM_SEEK_END, &pos );
    ok( hr == S_OK && pos.QuadPart == JPEG_SIZE + 100, "Seek past the end returned %#lx.\n", hr );
    move.QuadPart = -1;
    pos.QuadPart = 0xdead;
    hr = IStream_Seek( stream, move, STREAM_SEEK_SET, &pos );
    ok( hr == STG_E_INVALIDFUNCTION, "Seek before the start returned %#lx.\n", hr );
    move.QuadPart = 0;
    hr = IStream_Seek( stream, move, 3, &pos );
    ok( hr == STG_E_INVALIDFUNCTION, "Seek with a bad origin returned %#lx.\n", hr );

    /* read-only */
    hr = IStream_Write( stream, buffer, 1, &read );
    ok( hr == STG_E_ACCESSDENIED, "Write returned %#lx.\n", hr );
    pos.QuadPart = 1;
    hr = IStream_SetSize( stream, pos );
    ok( hr == STG_E_ACCESSDENIED, "SetSize returned %#lx.\n", hr );
    hr = IStream_LockRegion( stream, pos, pos, LOCK_WRITE );
    ok( hr == STG_E_INVALIDFUNCTION, "LockRegion returned %#lx.\n", hr );
    hr = IStream_Commit( stream, 0 );
    ok( hr == S_OK, "Commit returned %#lx.\n", hr );
    hr = IStream_Read( stream, NULL, 1, &read );
    ok( hr == STG_E_INVALIDPOINTER, "Read(NULL) returned %#lx.\n", hr );

    /* a clone has its own position over the same bytes */
    move.QuadPart = 0;
    IStream_Seek( stream, move, STREAM_SEEK_SET, NULL );
    hr = IStream_Clone( stream, &clone );
    ok( hr == S_OK, "Clone returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        move.QuadPart = JPEG_SIZE - 8;
        IStream_Seek( clone, move, STREAM_SEEK_SET, NULL );
        hr = IStream_Read( clone, buffer, 8, &read );
        ok( hr == S_OK && !memcmp( buffer, jpeg_tail, 8 ), "clone Read returned %#lx.\n", hr );
        /* CopyTo from the original's position into the clone: refused, read-only */
        copy_size.QuadPart = 16;
        hr = IStream_CopyTo( stream, clone, copy_size, &copied, &written );
        ok( hr == STG_E_ACCESSDENIED, "CopyTo a read-only stream returned %#lx.\n", hr );
        ok( copied.QuadPart == 16 && !written.QuadPart, "copied %s, wrote %s.\n",
            wine_dbgstr_longlong(copied.QuadPart), wine_dbgstr_longlong(written.QuadPart) );
        IStream_Release( clone );
    }
    free( data );
    IStream_Release( stream );
}

static void test_attach_props( IAttach *attach, BOOL ansi )
{
    SizedSPropTagArray(7, tags) = { 7, { PR_ATTACH_NUM, PR_ATTACH_METHOD, PR_ATTACH_LONG_FILENAME_W,
        PR_ATTACH_FILENAME_W, PR_ATTACH_SIZE, PR_OBJECT_TYPE, PR_ATTACH_DATA_BIN } };
    SPropValue *props = NULL, prop;
    ULONG count = 0;
    HRESULT hr;

    hr = IAttach_GetProps( attach, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    ok( props[0].Value.l == ATTACH_NID, "attach num %#lx.\n", props[0].Value.l );
    ok( props[1].ulPropTag == PR_ATTACH_METHOD && props[1].Value.l == ATTACH_BY_VALUE, "method %ld.\n",
        props[1].Value.l );
    ok( props[2].ulPropTag == PR_ATTACH_LONG_FILENAME_W && !wcscmp( props[2].Value.lpszW, L"leah_thumper.jpg" ),
        "long file name %s.\n", wine_dbgstr_w(props[2].Value.lpszW) );
    ok( props[3].ulPropTag == PR_ATTACH_FILENAME_W && !wcscmp( props[3].Value.lpszW, L"leah_t~1.jpg" ),
        "file name %s.\n", wine_dbgstr_w(props[3].Value.lpszW) );
    /* pypff 0x0e20: 0x17a28 (sample1), 0x179f8 (sample2) */
    ok( props[4].ulPropTag == PR_ATTACH_SIZE && props[4].Value.l == (ansi ? 96760 : 96808), "size %ld.\n",
        props[4].Value.l );
    ok( props[5].ulPropTag == PR_OBJECT_TYPE && props[5].Value.l == MAPI_ATTACH, "type %ld.\n", props[5].Value.l );
    ok( props[6].ulPropTag == PR_ATTACH_DATA_BIN && props[6].Value.bin.cb == JPEG_SIZE, "data %#lx.\n",
        props[6].ulPropTag );
    test_free_buffer( props );

    prop.ulPropTag = PR_ATTACH_METHOD;
    prop.Value.l = 1;
    hr = IAttach_SetProps( attach, 1, &prop, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "SetProps returned %#lx.\n", hr );
    hr = IAttach_SaveChanges( attach, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "SaveChanges returned %#lx.\n", hr );
    hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (IUnknown **)&props );
    ok( hr == MAPI_E_NOT_FOUND, "PR_ATTACH_DATA_OBJ of a file attachment gave %#lx.\n", hr );
}

static void test_file_attachment( const char *name, const WCHAR *folder, BOOL ansi )
{
    struct sample sample;
    IMessage *message;
    IAttach *attach;
    IStream *stream = NULL;
    SPropValue *props;
    ULONG count, zero = 0;
    HRESULT hr;

    winetest_push_context( "%s", name );
    if (!open_sample( name, &sample ))
    {
        winetest_pop_context();
        return;
    }
    if ((message = open_first_message( sample.store, folder )))
    {
        if ((attach = open_only_attachment( message, ansi ? 96760 : 96808 )))
        {
            test_attach_props( attach, ansi );
            test_attach_stream( attach );

            /* the attachment outlives its message, and dies at logoff */
            ok( !IMessage_Release( message ), "message still referenced.\n" );
            message = NULL;
            hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (IUnknown **)&stream );
            ok( hr == S_OK, "OpenProperty returned %#lx.\n", hr );
            sample.support.logging_off = TRUE;
            hr = IMSLogon_Logoff( sample.ms_logon, &zero );
            ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
            check_log( "StoreLogoffTransports(0x8); support final release; " );
            IMSLogon_Release( sample.ms_logon );
            hr = IAttach_GetProps( attach, NULL, 0, &count, &props );
            ok( hr == MAPI_E_INVALID_OBJECT, "GetProps after logoff returned %#lx.\n", hr );
            hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (IUnknown **)&props );
            ok( hr == MAPI_E_INVALID_OBJECT, "OpenProperty after logoff returned %#lx.\n", hr );
            if (stream)
            {
                STATSTG stat;

                hr = IStream_Stat( stream, &stat, STATFLAG_NONAME );
                ok( hr == STG_E_REVERTED, "Stat after logoff returned %#lx.\n", hr );
                ok( !IStream_Release( stream ), "stream still referenced.\n" );
            }
            ok( !IAttach_Release( attach ), "attachment still referenced.\n" );
        }
        if (message) IMessage_Release( message );
    }
    close_sample( &sample );
    winetest_pop_context();
}

static void test_embedded_message(void)
{
    SizedSPropTagArray(5, tags) = { 5, { PR_SUBJECT_W, PR_BODY_W, PR_MESSAGE_SIZE, PR_MESSAGE_FLAGS,
                                         PR_ENTRYID } };
    SizedSPropTagArray(2, attach_tags) = { 2, { PR_ATTACH_METHOD, PR_ATTACH_FILENAME_W } };
    IMessage *message, *embedded = NULL;
    IMAPITable *recipients = NULL;
    struct sample sample;
    SPropValue *props;
    IAttach *attach;
    ULONG count, zero = 0;
    HRESULT hr;

    if (!open_sample( "pstsdk_submessage.pst", &sample )) return;
    if (!(message = open_first_message( sample.store, L"submessage" )))
    {
        close_sample( &sample );
        return;
    }
    /* pypff 0x0e20 of the attachment: 0x2ce6 */
    if ((attach = open_only_attachment( message, 11494 )))
    {
        hr = IAttach_GetProps( attach, (SPropTagArray *)&attach_tags, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
        if (SUCCEEDED(hr))
        {
            ok( props[0].Value.l == ATTACH_EMBEDDED_MSG, "method %ld.\n", props[0].Value.l );
            ok( props[1].ulPropTag == PR_ATTACH_FILENAME_W
                && !wcscmp( props[1].Value.lpszW, L"This is an embedded message" ), "name %s.\n",
                wine_dbgstr_w(props[1].Value.lpszW) );
            test_free_buffer( props );
        }
        hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_OBJ, &IID_IStream, 0, 0, (IUnknown **)&embedded );
        ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "IStream on the message gave %#lx.\n", hr );
        hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_MODIFY,
                                   (IUnknown **)&embedded );
        ok( hr == MAPI_E_NO_ACCESS, "MAPI_MODIFY gave %#lx.\n", hr );
        embedded = NULL;
        hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (IUnknown **)&embedded );
        ok( hr == S_OK, "OpenProperty(PR_ATTACH_DATA_OBJ) returned %#lx.\n", hr );
        IAttach_Release( attach );
    }
    IMessage_Release( message );

    if (embedded)
    {
        hr = IMessage_GetProps( embedded, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
        ok( hr == MAPI_W_ERRORS_RETURNED, "GetProps returned %#lx.\n", hr );
        if (SUCCEEDED(hr))
        {
            /* pffexport Attachment00001/Message00001/OutlookHeaders.txt and Message.txt */
            ok( props[0].ulPropTag == PR_SUBJECT_W && !wcscmp( props[0].Value.lpszW, L"This is an embedded message" ),
                "subject %s.\n", wine_dbgstr_w(props[0].Value.lpszW) );
            ok( props[1].ulPropTag == PR_BODY_W
                && !wcscmp( props[1].Value.lpszW, L"This is the body of an embedded message\r\n\r\n" ),
                "body %s.\n", wine_dbgstr_w(props[1].Value.lpszW) );
            ok( props[2].Value.l == 7816, "size %ld.\n", props[2].Value.l );
            ok( props[3].Value.l == 1, "flags %#lx.\n", props[3].Value.l );
            /* an embedded message has no entry ID */
            ok( props[4].ulPropTag == PROP_TAG(PT_ERROR, PROP_ID(PR_ENTRYID)), "entry ID %#lx.\n",
                props[4].ulPropTag );
            test_free_buffer( props );
        }
        hr = IMessage_GetRecipientTable( embedded, MAPI_UNICODE, &recipients );
        ok( hr == S_OK, "GetRecipientTable returned %#lx.\n", hr );
        if (recipients)
        {
            hr = IMAPITable_GetRowCount( recipients, 0, &count );
            ok( hr == S_OK && count == 1, "GetRowCount returned %#lx, %lu.\n", hr, count );
        }

        /* the embedded message dies at logoff, with its table */
        sample.support.logging_off = TRUE;
        hr = IMSLogon_Logoff( sample.ms_logon, &zero );
        ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
        check_log( "StoreLogoffTransports(0x8); support final release; " );
        IMSLogon_Release( sample.ms_logon );
        hr = IMessage_GetProps( embedded, (SPropTagArray *)&tags, 0, &count, &props );
        ok( hr == MAPI_E_INVALID_OBJECT, "GetProps after logoff returned %#lx.\n", hr );
        if (recipients)
        {
            hr = IMAPITable_GetRowCount( recipients, 0, &count );
            ok( hr == MAPI_E_INVALID_OBJECT, "GetRowCount after logoff returned %#lx.\n", hr );
            ok( !IMAPITable_Release( recipients ), "table still referenced.\n" );
        }
        ok( !IMessage_Release( embedded ), "embedded message still referenced.\n" );
    }
    close_sample( &sample );
}

START_TEST(attach)
{
    if (!init_winepst()) return;
    if (!getenv( "WINEMAPIX_TEST_DATA" ))
    {
        skip( "no sample PST files: set WINEMAPIX_TEST_DATA\n" );
        return;
    }
    test_file_attachment( "pstsdk_sample1.pst", L"Sample1", FALSE );
    test_file_attachment( "pstsdk_sample2.pst", L"Sample2", TRUE );
    test_embedded_message();
    ok( live_blocks == 0, "%ld buffers leaked.\n", live_blocks );
    ok( pDllCanUnloadNow() == S_OK, "objects are alive after the test.\n" );
}
