/*
 * MAPIInitialize / MAPIUninitialize and the MAPI utility initialisation
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

/* init_cs serialises MAPIInitialize and MAPIUninitialize (including the
 * hooks of the final one, so a concurrent MAPIInitialize cannot start
 * while the previous generation is being torn down).  hooks_cs only guards
 * the hook list, and is never held while a hook runs. */
static CRITICAL_SECTION init_cs;
static CRITICAL_SECTION_DEBUG init_cs_debug =
{
    0, 0, &init_cs,
    { &init_cs_debug.ProcessLocksList, &init_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": init_cs") }
};
static CRITICAL_SECTION init_cs = { &init_cs_debug, -1, 0, 0, 0, 0 };

static CRITICAL_SECTION hooks_cs;
static CRITICAL_SECTION_DEBUG hooks_cs_debug =
{
    0, 0, &hooks_cs,
    { &hooks_cs_debug.ProcessLocksList, &hooks_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": hooks_cs") }
};
static CRITICAL_SECTION hooks_cs = { &hooks_cs_debug, -1, 0, 0, 0, 0 };

static LONG init_count;

/*
 * MAPI_MULTITHREAD_NOTIFICATIONS: the first MAPIInitialize with the flag
 * starts a thread that delivers notifications until the final
 * MAPIUninitialize.  That call stops it after the uninitialize hooks (so
 * the logoffs they cause are still delivered there) and waits for it
 * outside init_cs: an advise sink running on the thread may itself call
 * MAPIInitialize or MAPIUninitialize, which would deadlock under the lock.
 */
struct notify_item
{
    struct notify_item *next;
    void (*func)(void *);
    void *arg;
};

struct notify_thread
{
    HANDLE thread;
    HANDLE wake;
    DWORD id;
    BOOL quit;
    struct notify_item *head, *tail;
};

static struct notify_thread *notify_thread;
static CRITICAL_SECTION notify_queue_cs;
static CRITICAL_SECTION_DEBUG notify_queue_cs_debug =
{
    0, 0, &notify_queue_cs,
    { &notify_queue_cs_debug.ProcessLocksList, &notify_queue_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": notify_queue_cs") }
};
static CRITICAL_SECTION notify_queue_cs = { &notify_queue_cs_debug, -1, 0, 0, 0, 0 };

static DWORD WINAPI notify_thread_proc( void *param )
{
    struct notify_thread *ctx = param;
    struct notify_item *item;
    BOOL quit;

    for (;;)
    {
        WaitForSingleObject( ctx->wake, INFINITE );
        for (;;)
        {
            EnterCriticalSection( &notify_queue_cs );
            if ((item = ctx->head) && !(ctx->head = item->next)) ctx->tail = NULL;
            quit = ctx->quit;
            LeaveCriticalSection( &notify_queue_cs );
            if (!item) break;
            item->func( item->arg );
            free( item );
        }
        if (quit) break;
    }
    return 0;
}

/* Called with init_cs held. */
static void notify_thread_start(void)
{
    struct notify_thread *ctx;

    if (notify_thread || !(ctx = calloc( 1, sizeof(*ctx) ))) return;
    if (!(ctx->wake = CreateEventW( NULL, FALSE, FALSE, NULL ))
            || !(ctx->thread = CreateThread( NULL, 0, notify_thread_proc, ctx, 0, &ctx->id )))
    {
        ERR( "cannot start the notification thread, error %lu.\n", GetLastError() );
        if (ctx->wake) CloseHandle( ctx->wake );
        free( ctx );
        return;
    }
    TRACE( "notification thread %#lx.\n", ctx->id );
    EnterCriticalSection( &notify_queue_cs );
    notify_thread = ctx;
    LeaveCriticalSection( &notify_queue_cs );
}

/* Called with init_cs held; the caller waits for the result outside it. */
static struct notify_thread *notify_thread_detach(void)
{
    struct notify_thread *ctx;

    EnterCriticalSection( &notify_queue_cs );
    if ((ctx = notify_thread)) ctx->quit = TRUE;
    notify_thread = NULL;
    LeaveCriticalSection( &notify_queue_cs );
    if (ctx) SetEvent( ctx->wake );
    return ctx;
}

static void notify_thread_join( struct notify_thread *ctx )
{
    if (!ctx) return;
    if (GetCurrentThreadId() != ctx->id) WaitForSingleObject( ctx->thread, INFINITE );
    CloseHandle( ctx->thread );
    CloseHandle( ctx->wake );
    free( ctx );
}

BOOL mapix_notify_queue( void (*func)(void *), void *arg )
{
    struct notify_item *item;
    HANDLE wake;

    if (!(item = calloc( 1, sizeof(*item) ))) return FALSE;
    item->func = func;
    item->arg = arg;
    EnterCriticalSection( &notify_queue_cs );
    if (!notify_thread || GetCurrentThreadId() == notify_thread->id)
    {
        /* no thread, or already on it: the caller delivers */
        LeaveCriticalSection( &notify_queue_cs );
        free( item );
        return FALSE;
    }
    if (notify_thread->tail) notify_thread->tail->next = item;
    else notify_thread->head = item;
    notify_thread->tail = item;
    wake = notify_thread->wake;
    SetEvent( wake );
    LeaveCriticalSection( &notify_queue_cs );
    return TRUE;
}

#define MAX_UNINIT_HOOKS 32
static void (*uninit_hooks[MAX_UNINIT_HOOKS])(void);
static unsigned int uninit_hook_count;

BOOL mapix_is_initialized(void)
{
    return InterlockedCompareExchange( &init_count, 0, 0 ) > 0;
}

void mapix_add_uninitialize_hook( void (*hook)(void) )
{
    unsigned int i;

    EnterCriticalSection( &hooks_cs );
    for (i = 0; i < uninit_hook_count; i++)
        if (uninit_hooks[i] == hook) break;
    if (i == uninit_hook_count)
    {
        if (uninit_hook_count < MAX_UNINIT_HOOKS) uninit_hooks[uninit_hook_count++] = hook;
        else ERR( "too many uninitialize hooks, dropping %p.\n", hook );
    }
    LeaveCriticalSection( &hooks_cs );
}

static void run_uninitialize_hooks(void)
{
    void (*hooks[MAX_UNINIT_HOOKS])(void);
    unsigned int count;

    EnterCriticalSection( &hooks_cs );
    count = uninit_hook_count;
    memcpy( hooks, uninit_hooks, count * sizeof(*hooks) );
    LeaveCriticalSection( &hooks_cs );

    while (count--)
    {
        TRACE( "calling hook %p.\n", hooks[count] );
        hooks[count]();
    }
}

/***********************************************************************
 *              MAPIInitialize (winemapix.@)
 */
HRESULT WINAPI MAPIInitialize( void *init )
{
    static const ULONG valid_flags = MAPI_MULTITHREAD_NOTIFICATIONS | MAPI_NT_SERVICE | MAPI_NO_COINIT;
    MAPIINIT_0 *params = init;
    LONG count;

    TRACE( "%p.\n", init );

    if (params)
    {
        TRACE( "version %lu, flags %#lx.\n", params->ulVersion, params->ulFlags );
        /* The structure has a single version; anything else is a bad
         * parameter (step 1 of the documented checks). */
        if (params->ulVersion != MAPI_INIT_VERSION) return MAPI_E_INVALID_PARAMETER;
        if (params->ulFlags & ~valid_flags) return MAPI_E_UNKNOWN_FLAGS;
    }

    EnterCriticalSection( &init_cs );
    count = InterlockedIncrement( &init_count );
    if (params && (params->ulFlags & MAPI_MULTITHREAD_NOTIFICATIONS)) notify_thread_start();
    LeaveCriticalSection( &init_cs );

    TRACE( "count %ld.\n", count );
    return S_OK;
}

/***********************************************************************
 *              MAPIUninitialize (winemapix.@)
 */
void WINAPI MAPIUninitialize(void)
{
    struct notify_thread *thread;

    TRACE( "\n" );

    EnterCriticalSection( &init_cs );
    if (init_count <= 0)
    {
        WARN( "not initialized.\n" );
        LeaveCriticalSection( &init_cs );
        return;
    }
    if (init_count > 1)
    {
        /* not inside TRACE: that would vanish with the debug channel off */
        LONG count = InterlockedDecrement( &init_count );

        TRACE( "count %ld.\n", count );
        LeaveCriticalSection( &init_cs );
        return;
    }

    /* Final call: the hooks still see MAPI initialised while they tear
     * sessions down; the count drops once they are done. */
    run_uninitialize_hooks();
    thread = notify_thread_detach();
    InterlockedDecrement( &init_count );
    LeaveCriticalSection( &init_cs );
    notify_thread_join( thread );
    TRACE( "MAPI uninitialized.\n" );
}

/***********************************************************************
 *              ScInitMapiUtil (winemapix.@)
 */
SCODE WINAPI ScInitMapiUtil( ULONG reserved )
{
    TRACE( "%#lx.\n", reserved );

    /* The utility functions keep no global state worth setting up. */
    return S_OK;
}

/***********************************************************************
 *              DeinitMapiUtil (winemapix.@)
 */
void WINAPI DeinitMapiUtil(void)
{
    TRACE( "\n" );
}
