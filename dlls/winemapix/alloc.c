/*
 * MAPI memory allocators: MAPIAllocateBuffer chains and the default IMalloc
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

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* Every buffer handed out by MAPIAllocateBuffer / MAPIAllocateMore is
 * preceded by this header.  A parent (MAPIAllocateBuffer) block keeps its
 * MAPIAllocateMore children in a doubly linked list whose head is the
 * parent's own "next" field, so one MAPIFreeBuffer releases the lot.  The
 * header is 32 bytes, so the caller's data keeps malloc's alignment. */
struct mapi_block
{
    ULONG magic;
    ULONG size;
    struct mapi_block *parent;   /* children: the owning block; parents: NULL */
    struct mapi_block *prev;     /* children: previous child or the parent */
    struct mapi_block *next;     /* parents: first child; children: next sibling */
};

#define BLOCK_MAGIC_PARENT 0x4d415042  /* "BPAM" */
#define BLOCK_MAGIC_CHILD  0x4d41504d  /* "MPAM" */
#define BLOCK_MAGIC_DEAD   0xdeadb10c

C_ASSERT( sizeof(struct mapi_block) % 16 == 0 );

/* Protects the child lists.  Statically initialised and never deleted, so
 * MAPIFreeBuffer keeps working after MAPIUninitialize and at process exit. */
static CRITICAL_SECTION alloc_cs;
static CRITICAL_SECTION_DEBUG alloc_cs_debug =
{
    0, 0, &alloc_cs,
    { &alloc_cs_debug.ProcessLocksList, &alloc_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": alloc_cs") }
};
static CRITICAL_SECTION alloc_cs = { &alloc_cs_debug, -1, 0, 0, 0, 0 };

static LONG live_buffers;

LONG mapix_live_buffers(void)
{
    return InterlockedCompareExchange( &live_buffers, 0, 0 );
}

/***********************************************************************
 *              MAPIXGetLiveBuffers (winemapix.@)
 *
 * Private test hook: number of MAPI buffers (parents and children)
 * currently allocated in this process.
 */
LONG WINAPI MAPIXGetLiveBuffers(void)
{
    return mapix_live_buffers();
}

static inline struct mapi_block *block_from_data( void *data )
{
    return (struct mapi_block *)data - 1;
}

static inline void *data_from_block( struct mapi_block *block )
{
    return block + 1;
}

/* Returns the header of one of our blocks with the given magic, or NULL for
 * anything else.  Foreign pointers may sit at the start of a page, so make
 * sure the header is readable before looking at it. */
static struct mapi_block *get_block( void *data, ULONG magic )
{
    struct mapi_block *block;

    if (!data || ((ULONG_PTR)data & 7)) return NULL;
    block = block_from_data( data );
    if (IsBadReadPtr( block, sizeof(*block) )) return NULL;
    if (block->magic != magic) return NULL;
    return block;
}

static struct mapi_block *alloc_block( ULONG size )
{
    struct mapi_block *block;

    if ((SIZE_T)size > ~(SIZE_T)0 - sizeof(*block)) return NULL;
    if (!(block = malloc( sizeof(*block) + size ))) return NULL;
    block->size = size;
    block->parent = block->prev = block->next = NULL;
    InterlockedIncrement( &live_buffers );
    return block;
}

static void free_block( struct mapi_block *block )
{
    block->magic = BLOCK_MAGIC_DEAD;
    free( block );
    InterlockedDecrement( &live_buffers );
}

/***********************************************************************
 *              MAPIAllocateBuffer (winemapix.@)
 */
SCODE WINAPI MAPIAllocateBuffer( ULONG size, void **buffer )
{
    struct mapi_block *block;

    TRACE( "%lu, %p.\n", size, buffer );

    if (!buffer) return MAPI_E_INVALID_PARAMETER;
    *buffer = NULL;

    if (!(block = alloc_block( size ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    block->magic = BLOCK_MAGIC_PARENT;
    *buffer = data_from_block( block );
    return S_OK;
}

/***********************************************************************
 *              MAPIAllocateMore (winemapix.@)
 */
SCODE WINAPI MAPIAllocateMore( ULONG size, void *object, void **buffer )
{
    struct mapi_block *parent, *block;

    TRACE( "%lu, %p, %p.\n", size, object, buffer );

    if (!buffer) return MAPI_E_INVALID_PARAMETER;
    *buffer = NULL;

    /* Accept a child as the object as well: its chain's parent owns the
     * new block, which is what the caller means. */
    if (!(parent = get_block( object, BLOCK_MAGIC_PARENT )))
    {
        struct mapi_block *child;

        if (!(child = get_block( object, BLOCK_MAGIC_CHILD )))
        {
            WARN( "%p is not a MAPI buffer.\n", object );
            return MAPI_E_INVALID_PARAMETER;
        }
        parent = child->parent;
    }

    if (!(block = alloc_block( size ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    block->magic = BLOCK_MAGIC_CHILD;
    block->parent = parent;

    EnterCriticalSection( &alloc_cs );
    block->prev = parent;
    block->next = parent->next;
    if (parent->next) parent->next->prev = block;
    parent->next = block;
    LeaveCriticalSection( &alloc_cs );

    *buffer = data_from_block( block );
    return S_OK;
}

/***********************************************************************
 *              MAPIFreeBuffer (winemapix.@)
 */
ULONG WINAPI MAPIFreeBuffer( void *buffer )
{
    struct mapi_block *block, *child;

    TRACE( "%p.\n", buffer );

    if (!buffer) return S_OK;

    /* Foreign pointers, children and already freed blocks are ignored:
     * MAPI leaves them undefined, and crashing is the worst answer. */
    if (!(block = get_block( buffer, BLOCK_MAGIC_PARENT )))
    {
        WARN( "ignoring %p, not a MAPI parent buffer.\n", buffer );
        return S_OK;
    }

    EnterCriticalSection( &alloc_cs );
    block->magic = BLOCK_MAGIC_DEAD;
    child = block->next;
    block->next = NULL;
    LeaveCriticalSection( &alloc_cs );

    while (child)
    {
        struct mapi_block *next = child->next;
        free_block( child );
        child = next;
    }
    free_block( block );
    return S_OK;
}

/***********************************************************************
 *              MAPIReallocateBuffer (winemapix.@)
 *
 * Moves a parent or child block to a new block of the requested size,
 * keeping it in its chain.  Pointers inside the data are not adjusted.
 */
SCODE WINAPI MAPIReallocateBuffer( void *buffer, ULONG size, void **new_buffer )
{
    struct mapi_block *old, *block, *child;

    TRACE( "%p, %lu, %p.\n", buffer, size, new_buffer );

    if (!new_buffer) return MAPI_E_INVALID_PARAMETER;
    if (!buffer) return MAPIAllocateBuffer( size, new_buffer );

    if (!(old = get_block( buffer, BLOCK_MAGIC_PARENT )) && !(old = get_block( buffer, BLOCK_MAGIC_CHILD )))
    {
        WARN( "%p is not a MAPI buffer.\n", buffer );
        return MAPI_E_INVALID_PARAMETER;
    }

    if (!(block = alloc_block( size ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy( data_from_block( block ), data_from_block( old ), min( size, old->size ) );

    EnterCriticalSection( &alloc_cs );
    block->magic = old->magic;
    block->parent = old->parent;
    block->prev = old->prev;
    block->next = old->next;
    if (block->magic == BLOCK_MAGIC_PARENT)
    {
        for (child = block->next; child; child = child->next) child->parent = block;
        if (block->next) block->next->prev = block;
    }
    else
    {
        block->prev->next = block;
        if (block->next) block->next->prev = block;
    }
    old->next = NULL;
    LeaveCriticalSection( &alloc_cs );

    free_block( old );
    *new_buffer = data_from_block( block );
    return S_OK;
}

/* The default IMalloc: a static object over LocalAlloc, as native's. */

static HRESULT WINAPI default_malloc_QueryInterface( IMalloc *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (IsEqualIID( riid, &IID_IUnknown ) || IsEqualIID( riid, &IID_IMalloc ))
    {
        *out = iface;
        IMalloc_AddRef( iface );
        return S_OK;
    }

    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI default_malloc_AddRef( IMalloc *iface )
{
    TRACE( "%p.\n", iface );
    return 1;
}

static ULONG WINAPI default_malloc_Release( IMalloc *iface )
{
    TRACE( "%p.\n", iface );
    return 1;
}

static void * WINAPI default_malloc_Alloc( IMalloc *iface, SIZE_T size )
{
    TRACE( "%p, %Iu.\n", iface, size );
    return LocalAlloc( LMEM_FIXED, size );
}

static void * WINAPI default_malloc_Realloc( IMalloc *iface, void *mem, SIZE_T size )
{
    TRACE( "%p, %p, %Iu.\n", iface, mem, size );

    if (!mem) return LocalAlloc( LMEM_FIXED, size );
    if (!size)
    {
        LocalFree( mem );
        return NULL;
    }
    return LocalReAlloc( mem, size, LMEM_MOVEABLE );
}

static void WINAPI default_malloc_Free( IMalloc *iface, void *mem )
{
    TRACE( "%p, %p.\n", iface, mem );
    LocalFree( mem );
}

static SIZE_T WINAPI default_malloc_GetSize( IMalloc *iface, void *mem )
{
    TRACE( "%p, %p.\n", iface, mem );
    return LocalSize( mem );
}

static INT WINAPI default_malloc_DidAlloc( IMalloc *iface, void *mem )
{
    TRACE( "%p, %p.\n", iface, mem );
    return -1;
}

static void WINAPI default_malloc_HeapMinimize( IMalloc *iface )
{
    TRACE( "%p.\n", iface );
}

static const IMallocVtbl default_malloc_vtbl =
{
    default_malloc_QueryInterface,
    default_malloc_AddRef,
    default_malloc_Release,
    default_malloc_Alloc,
    default_malloc_Realloc,
    default_malloc_Free,
    default_malloc_GetSize,
    default_malloc_DidAlloc,
    default_malloc_HeapMinimize,
};

static IMalloc default_malloc = { &default_malloc_vtbl };

/***********************************************************************
 *              MAPIGetDefaultMalloc (winemapix.@)
 */
LPMALLOC WINAPI MAPIGetDefaultMalloc(void)
{
    TRACE( "\n" );
    return &default_malloc;
}
