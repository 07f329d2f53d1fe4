/*
 * Tests for advise sinks and the notification copying helpers
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
#include <stdlib.h>
#include <string.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapiguid.h"

#include "wine/test.h"

static HRESULT (WINAPI *pHrAllocAdviseSink)(LPNOTIFCALLBACK, void *, LPMAPIADVISESINK *);
static HRESULT (WINAPI *pHrThisThreadAdviseSink)(LPMAPIADVISESINK, LPMAPIADVISESINK *);
static HRESULT (WINAPI *pHrDispatchNotifications)(ULONG);
static SCODE (WINAPI *pScCountNotifications)(int, LPNOTIFICATION, ULONG *);
static SCODE (WINAPI *pScCopyNotifications)(int, LPNOTIFICATION, void *, ULONG *);
static SCODE (WINAPI *pScRelocNotifications)(int, LPNOTIFICATION, void *, void *, ULONG *);

static ULONG callback_calls, callback_count;
static void *callback_context;
static NOTIFICATION *callback_notif;
static DWORD callback_thread;
static char callback_class[64];

static LONG WINAPI test_callback(void *context, ULONG count, NOTIFICATION *notif)
{
    callback_calls++;
    callback_context = context;
    callback_count = count;
    callback_notif = notif;
    callback_thread = GetCurrentThreadId();
    if (notif && notif->ulEventType == fnevNewMail && notif->info.newmail.lpszMessageClass)
        lstrcpynA(callback_class, (char *)notif->info.newmail.lpszMessageClass, sizeof(callback_class));
    return 0;
}

static void test_HrAllocAdviseSink(void)
{
    IMAPIAdviseSink *sink = (void *)0xdeadbeef;
    NOTIFICATION notif;
    IUnknown *unk;
    HRESULT hr;

    hr = pHrAllocAdviseSink(NULL, NULL, &sink);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);
    hr = pHrAllocAdviseSink(test_callback, (void *)0x1234, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);

    hr = pHrAllocAdviseSink(test_callback, (void *)0x1234, &sink);
    ok(hr == S_OK && sink, "got %#lx.\n", hr);
    hr = IMAPIAdviseSink_QueryInterface(sink, &IID_IMAPIAdviseSink, (void **)&unk);
    ok(hr == S_OK && unk == (IUnknown *)sink, "got %#lx.\n", hr);
    IUnknown_Release(unk);

    memset(&notif, 0, sizeof(notif));
    notif.ulEventType = fnevExtended;
    callback_calls = 0;
    IMAPIAdviseSink_OnNotify(sink, 1, &notif);
    ok(callback_calls == 1, "callback called %lu times.\n", callback_calls);
    ok(callback_context == (void *)0x1234 && callback_count == 1 && callback_notif == &notif,
       "got %p, %lu, %p.\n", callback_context, callback_count, callback_notif);
    ok(!IMAPIAdviseSink_Release(sink), "sink still referenced.\n");
}

struct thread_args
{
    IMAPIAdviseSink *sink;
};

static DWORD WINAPI notify_thread(void *arg)
{
    struct thread_args *args = arg;
    char message_class[] = "IPM.Note";
    BYTE entry[] = { 1, 2, 3, 4 };
    NOTIFICATION notif;

    memset(&notif, 0, sizeof(notif));
    notif.ulEventType = fnevNewMail;
    notif.info.newmail.cbEntryID = sizeof(entry);
    notif.info.newmail.lpEntryID = (ENTRYID *)entry;
    notif.info.newmail.lpszMessageClass = (void *)message_class;
    IMAPIAdviseSink_OnNotify(args->sink, 1, &notif);
    /* the sink must have copied everything it keeps */
    memset(message_class, 'X', sizeof(message_class) - 1);
    return 0;
}

static void test_HrThisThreadAdviseSink(void)
{
    IMAPIAdviseSink *inner, *sink;
    struct thread_args args;
    NOTIFICATION notif;
    HANDLE thread;
    HRESULT hr;

    hr = pHrThisThreadAdviseSink(NULL, &sink);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);

    pHrAllocAdviseSink(test_callback, NULL, &inner);
    hr = pHrThisThreadAdviseSink(inner, &sink);
    ok(hr == S_OK && sink && sink != inner, "got %#lx.\n", hr);

    /* on the creating thread the call goes straight through */
    memset(&notif, 0, sizeof(notif));
    notif.ulEventType = fnevExtended;
    callback_calls = 0;
    IMAPIAdviseSink_OnNotify(sink, 1, &notif);
    ok(callback_calls == 1 && callback_notif == &notif, "got %lu calls.\n", callback_calls);

    /* from another thread it waits for this thread */
    callback_calls = 0;
    args.sink = sink;
    thread = CreateThread(NULL, 0, notify_thread, &args, 0, NULL);
    ok(!WaitForSingleObject(thread, 5000), "thread did not finish.\n");
    CloseHandle(thread);
    ok(!callback_calls, "callback ran on the notifying thread.\n");
    hr = pHrDispatchNotifications(0);
    ok(hr == S_OK, "HrDispatchNotifications returned %#lx.\n", hr);
    ok(callback_calls == 1, "callback called %lu times.\n", callback_calls);
    ok(callback_thread == GetCurrentThreadId(), "callback ran on thread %#lx.\n", callback_thread);
    ok(!strcmp(callback_class, "IPM.Note"), "got message class %s.\n", callback_class);
    hr = pHrDispatchNotifications(0);
    ok(hr == S_OK && callback_calls == 1, "got %#lx, %lu calls.\n", hr, callback_calls);

    ok(!IMAPIAdviseSink_Release(sink), "wrapper still referenced.\n");
    ok(!IMAPIAdviseSink_Release(inner), "inner sink still referenced.\n");
}

static BOOL inside(const void *p, const void *block, ULONG size)
{
    return (const BYTE *)p >= (const BYTE *)block && (const BYTE *)p < (const BYTE *)block + size;
}

static void test_notification_copies(void)
{
    static BYTE entry[] = { 0xaa, 0xbb, 0xcc }, parent[] = { 1, 2 }, ext[] = { 5, 6, 7, 8, 9 };
    static WCHAR error_text[] = L"broken", component[] = L"store";
    SizedSPropTagArray(2, tags) = { 2, { PR_SUBJECT_A, PR_BODY_A } };
    SPropValue row_props[2];
    MAPIERROR error;
    NOTIFICATION notifs[6], *copy, *moved;
    ULONG size, size2, i;
    SCODE sc;

    memset(notifs, 0, sizeof(notifs));
    notifs[0].ulEventType = fnevCriticalError;
    notifs[0].info.err.cbEntryID = sizeof(entry);
    notifs[0].info.err.lpEntryID = (ENTRYID *)entry;
    notifs[0].info.err.scode = MAPI_E_CALL_FAILED;
    notifs[0].info.err.ulFlags = MAPI_UNICODE;
    notifs[0].info.err.lpMAPIError = &error;
    memset(&error, 0, sizeof(error));
    error.lpszError = error_text;
    error.lpszComponent = component;
    notifs[1].ulEventType = fnevNewMail;
    notifs[1].info.newmail.cbEntryID = sizeof(entry);
    notifs[1].info.newmail.lpEntryID = (ENTRYID *)entry;
    notifs[1].info.newmail.cbParentID = sizeof(parent);
    notifs[1].info.newmail.lpParentID = (ENTRYID *)parent;
    notifs[1].info.newmail.lpszMessageClass = (void *)"IPM.Note";
    notifs[2].ulEventType = fnevObjectMoved;
    notifs[2].info.obj.cbEntryID = sizeof(entry);
    notifs[2].info.obj.lpEntryID = (ENTRYID *)entry;
    notifs[2].info.obj.cbOldParentID = sizeof(parent);
    notifs[2].info.obj.lpOldParentID = (ENTRYID *)parent;
    notifs[2].info.obj.lpPropTagArray = (SPropTagArray *)&tags;
    notifs[3].ulEventType = fnevTableModified;
    notifs[3].info.tab.ulTableEvent = TABLE_ROW_ADDED;
    notifs[3].info.tab.propIndex.ulPropTag = PR_ENTRYID;
    notifs[3].info.tab.propIndex.Value.bin.cb = sizeof(entry);
    notifs[3].info.tab.propIndex.Value.bin.lpb = entry;
    notifs[3].info.tab.propPrior.ulPropTag = PR_NULL;
    row_props[0].ulPropTag = PR_SUBJECT_A;
    row_props[0].Value.lpszA = (char *)"subject";
    row_props[1].ulPropTag = PR_MESSAGE_SIZE;
    row_props[1].Value.l = 1234;
    notifs[3].info.tab.row.cValues = 2;
    notifs[3].info.tab.row.lpProps = row_props;
    notifs[4].ulEventType = fnevExtended;
    notifs[4].info.ext.cb = sizeof(ext);
    notifs[4].info.ext.pbEventParameters = ext;
    notifs[5].ulEventType = fnevStatusObjectModified;
    notifs[5].info.statobj.cbEntryID = sizeof(entry);
    notifs[5].info.statobj.lpEntryID = (ENTRYID *)entry;
    notifs[5].info.statobj.cValues = 2;
    notifs[5].info.statobj.lpPropVals = row_props;

    sc = pScCountNotifications(-1, notifs, &size);
    ok(sc == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", sc);
    sc = pScCountNotifications(6, notifs, &size);
    ok(sc == S_OK, "ScCountNotifications returned %#lx.\n", sc);
    ok(size > 6 * sizeof(NOTIFICATION) + sizeof(entry) * 5 + sizeof(ext), "size %lu too small.\n", size);
    sc = pScCountNotifications(1, &notifs[4], &size2);
    ok(sc == S_OK && size2 >= sizeof(NOTIFICATION) + sizeof(ext), "got %#lx, %lu.\n", sc, size2);

    copy = malloc(size);
    memset(copy, 0xcc, size);
    size2 = 0;
    sc = pScCopyNotifications(6, notifs, copy, &size2);
    ok(sc == S_OK && size2 == size, "got %#lx, %lu/%lu.\n", sc, size2, size);

    /* everything lives in the block and matches the source */
    ok(inside(copy[0].info.err.lpEntryID, copy, size) && !memcmp(copy[0].info.err.lpEntryID, entry, sizeof(entry)),
       "error entry id not copied.\n");
    ok(inside(copy[0].info.err.lpMAPIError, copy, size), "MAPIERROR not copied.\n");
    ok(!lstrcmpW(copy[0].info.err.lpMAPIError->lpszError, error_text)
       && inside(copy[0].info.err.lpMAPIError->lpszComponent, copy, size), "error strings not copied.\n");
    ok(!strcmp((char *)copy[1].info.newmail.lpszMessageClass, "IPM.Note")
       && inside(copy[1].info.newmail.lpszMessageClass, copy, size), "message class not copied.\n");
    ok(inside(copy[2].info.obj.lpPropTagArray, copy, size) && copy[2].info.obj.lpPropTagArray->aulPropTag[1] == PR_BODY_A,
       "tag array not copied.\n");
    ok(!copy[2].info.obj.lpParentID, "NULL id became %p.\n", copy[2].info.obj.lpParentID);
    ok(inside(copy[3].info.tab.propIndex.Value.bin.lpb, copy, size), "index value not copied.\n");
    ok(inside(copy[3].info.tab.row.lpProps, copy, size)
       && !strcmp(copy[3].info.tab.row.lpProps[0].Value.lpszA, "subject")
       && inside(copy[3].info.tab.row.lpProps[0].Value.lpszA, copy, size)
       && copy[3].info.tab.row.lpProps[1].Value.l == 1234, "row not copied.\n");
    ok(inside(copy[4].info.ext.pbEventParameters, copy, size) && !memcmp(copy[4].info.ext.pbEventParameters, ext, sizeof(ext)),
       "extended data not copied.\n");
    ok(inside(copy[5].info.statobj.lpPropVals, copy, size), "status props not copied.\n");

    /* move the block and rebase it */
    moved = malloc(size);
    memcpy(moved, copy, size);
    memset(copy, 0xdd, size);
    size2 = 0;
    sc = pScRelocNotifications(6, moved, copy, moved, &size2);
    ok(sc == S_OK && size2 == size, "got %#lx, %lu.\n", sc, size2);
    ok(!lstrcmpW(moved[0].info.err.lpMAPIError->lpszComponent, component), "component not relocated.\n");
    ok(!strcmp((char *)moved[1].info.newmail.lpszMessageClass, "IPM.Note"), "class not relocated.\n");
    ok(!strcmp(moved[3].info.tab.row.lpProps[0].Value.lpszA, "subject"), "row not relocated.\n");
    ok(!memcmp(moved[3].info.tab.propIndex.Value.bin.lpb, entry, sizeof(entry)), "index not relocated.\n");
    for (i = 0; i < 6; i++)
        ok(moved[i].ulEventType == notifs[i].ulEventType, "notification %lu type %#lx.\n", i, moved[i].ulEventType);
    ok(!memcmp(moved[5].info.statobj.lpEntryID, entry, sizeof(entry)), "status entry id not relocated.\n");

    free(moved);
    free(copy);
}

START_TEST(advise)
{
    HMODULE mapix = LoadLibraryA("winemapix.dll");

    ok(mapix != NULL, "winemapix.dll not loaded.\n");
    if (!mapix) return;
#define X(f) p##f = (void *)GetProcAddress(mapix, #f); ok(p##f != NULL, #f " not exported.\n")
    X(HrAllocAdviseSink);
    X(HrThisThreadAdviseSink);
    X(HrDispatchNotifications);
    X(ScCountNotifications);
    X(ScCopyNotifications);
    X(ScRelocNotifications);
#undef X
    ok(GetProcAddress(mapix, "HrThisThreadAdviseSink@8") != NULL, "HrThisThreadAdviseSink@8 not exported.\n");
    if (!pHrAllocAdviseSink || !pHrThisThreadAdviseSink || !pHrDispatchNotifications || !pScCountNotifications
            || !pScCopyNotifications || !pScRelocNotifications)
        return;

    test_HrAllocAdviseSink();
    test_HrThisThreadAdviseSink();
    test_notification_copies();
}
