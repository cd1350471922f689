/* SPDX-License-Identifier: MIT */
/*
 * Project: syslog-ng/syslog-ng
 * Path: lib/logqueue-fifo.c
 * Fix commit: 02b6cf9b387ac4b7a305da8874eddfadd0c154da
 * Bug: log_queue_fifo_push_tail() registers a worker batch callback whose
 * user_data is the queue itself without taking a reference, so a file
 * destination reaped before the input thread finishes frees the queue and
 * the callback later runs on freed memory.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

#define LOG_QUEUE_MAX_THREADS 4

typedef struct _WorkerBatchCallback
{
  struct _WorkerBatchCallback *next;
  void *(*func)(void *user_data);
  void *user_data;
} WorkerBatchCallback;

typedef struct _LogMessage LogMessage;

typedef struct _LogQueue
{
  struct kref ref_cnt;
  pthread_mutex_t lock;
  void (*free_fn)(struct _LogQueue *s);
} LogQueue;

typedef struct _LogQueueFifo
{
  LogQueue super;
  int qoverflow_wait_len;
  struct
  {
    WorkerBatchCallback cb;
    int len;
    bool finish_cb_registered;
  } qoverflow_input[LOG_QUEUE_MAX_THREADS];
} LogQueueFifo;

/* returns the id of the calling worker thread, or -1 outside worker threads */
extern int main_loop_worker_get_thread_id(void);
/* queues cb; the worker runs cb->func(cb->user_data) when its batch ends */
extern void main_loop_worker_register_batch_callback(WorkerBatchCallback *cb);
/* appends msg to the per-thread input list of the queue (consumes msg) */
extern void log_queue_fifo_add_input(LogQueueFifo *self, int thread_id, LogMessage *msg);
/* wakes up the reader of the queue */
extern void log_queue_push_notify(LogQueue *self);

static void
log_queue_release(struct kref *kref)
{
  LogQueue *self = container_of(kref, LogQueue, ref_cnt);

  self->free_fn(self);
}

LogQueue *
log_queue_ref(LogQueue *self)
{
  kref_get(&self->ref_cnt);
  return self;
}

void
log_queue_unref(LogQueue *self)
{
  kref_put(&self->ref_cnt, log_queue_release);
}

static void
log_queue_fifo_move_input_unlocked(LogQueueFifo *self, int thread_id)
{
  self->qoverflow_wait_len += self->qoverflow_input[thread_id].len;
  self->qoverflow_input[thread_id].len = 0;
}

/* runs from the worker when the input thread finishes its batch */
static void *
log_queue_fifo_move_input(void *user_data)
{
  LogQueueFifo *self = (LogQueueFifo *) user_data;
  int thread_id;

  thread_id = main_loop_worker_get_thread_id();

  pthread_mutex_lock(&self->super.lock);
  log_queue_fifo_move_input_unlocked(self, thread_id);
  log_queue_push_notify(&self->super);
  pthread_mutex_unlock(&self->super.lock);
  self->qoverflow_input[thread_id].finish_cb_registered = false;
  return NULL;
}

void
log_queue_fifo_push_tail(LogQueue *s, LogMessage *msg)
{
  LogQueueFifo *self = (LogQueueFifo *) s;
  int thread_id;

  thread_id = main_loop_worker_get_thread_id();

  if (thread_id >= 0)
    {
      if (!self->qoverflow_input[thread_id].finish_cb_registered)
        {
          /* first item of this batch: move the input list when the batch ends */
          main_loop_worker_register_batch_callback(&self->qoverflow_input[thread_id].cb); /* expect: rule 1 */
          self->qoverflow_input[thread_id].finish_cb_registered = true;
        }

      log_queue_fifo_add_input(self, thread_id, msg);
      self->qoverflow_input[thread_id].len++;
      return;
    }

  pthread_mutex_lock(&self->super.lock);
  self->qoverflow_wait_len++;
  log_queue_push_notify(&self->super);
  pthread_mutex_unlock(&self->super.lock);
}

static void
log_queue_fifo_free(LogQueue *s)
{
  LogQueueFifo *self = (LogQueueFifo *) s;

  pthread_mutex_destroy(&self->super.lock);
  free(self);
}

LogQueue *
log_queue_fifo_new(void)
{
  LogQueueFifo *self;
  int i;

  self = calloc(1, sizeof(*self));
  if (!self)
    return NULL;
  kref_init(&self->super.ref_cnt);
  pthread_mutex_init(&self->super.lock, NULL);
  self->super.free_fn = log_queue_fifo_free;

  for (i = 0; i < LOG_QUEUE_MAX_THREADS; i++)
    {
      self->qoverflow_input[i].cb.user_data = self;
      self->qoverflow_input[i].cb.func = log_queue_fifo_move_input;
    }
  return &self->super;
}
