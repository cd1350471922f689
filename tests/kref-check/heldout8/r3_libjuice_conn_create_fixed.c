/* SPDX-License-Identifier: MIT */
/*
 * Source: libjuice, commit f2b919fd5114c280b142c2fffe0ae36f58d887da
 * ("Fixed race condition potentially resulting in referencing freed
 * registry"), src/conn.c.
 * conn_create() finds or creates the mode entry's shared connections
 * registry under entry->mutex, and conn_destroy() drops an agent's hold on
 * it under the same mutex; when the agent's init fails, conn_create() drops
 * the hold it took with release_registry().
 */
#include <kref.h>
#include <pthread.h>
#include <stdlib.h>

#define INITIAL_REGISTRY_SIZE 16

typedef struct juice_agent juice_agent_t;
typedef struct udp_socket_config udp_socket_config_t;
struct conn_mode_entry;

typedef struct conn_registry {
	struct kref ref;
	pthread_mutex_t mutex;
	juice_agent_t **agents;
	int agents_size;
	int agents_count;
	struct conn_mode_entry *entry;
} conn_registry_t;

struct juice_agent {
	int concurrency_mode;
	int conn_index;
};

typedef struct conn_mode_entry {
	int (*registry_init_func)(conn_registry_t *registry, udp_socket_config_t *config);
	void (*registry_cleanup_func)(conn_registry_t *registry);
	int (*init_func)(juice_agent_t *agent, conn_registry_t *registry,
			 udp_socket_config_t *config);
	void (*cleanup_func)(juice_agent_t *agent);
	pthread_mutex_t mutex;
	conn_registry_t *registry;
} conn_mode_entry_t;

/* the entry of agent->concurrency_mode in the static mode_entries table */
extern conn_mode_entry_t *get_mode_entry(juice_agent_t *agent);
/* doubles registry->agents, zeroes the new slots and sets *i to the first
 * of them (aborts if the allocation fails) */
extern void registry_grow(conn_registry_t *registry, int *i);
/* wakes the agent's connection thread */
extern int conn_interrupt(juice_agent_t *agent);

static void registry_destroy(struct kref *ref)
{
	conn_registry_t *registry = container_of(ref, conn_registry_t, ref);
	conn_mode_entry_t *entry = registry->entry;

	if (entry->registry_cleanup_func)
		entry->registry_cleanup_func(registry);

	entry->registry = NULL;
	pthread_mutex_destroy(&registry->mutex);
	free(registry->agents);
	free(registry);
}

static int acquire_registry(conn_mode_entry_t *entry, udp_socket_config_t *config)
{
	/* entry must be locked */
	conn_registry_t *registry = entry->registry;

	if (!registry) {
		registry = calloc(1, sizeof(conn_registry_t));
		if (!registry)
			return -1;

		registry->agents = calloc(INITIAL_REGISTRY_SIZE, sizeof(juice_agent_t *));
		if (!registry->agents) {
			free(registry);
			return -1;
		}
		registry->agents_size = INITIAL_REGISTRY_SIZE;
		registry->agents_count = 0;
		registry->entry = entry;
		kref_init(&registry->ref);

		pthread_mutex_init(&registry->mutex, NULL);
		pthread_mutex_lock(&registry->mutex);

		if (entry->registry_init_func(registry, config)) {
			pthread_mutex_unlock(&registry->mutex);
			pthread_mutex_destroy(&registry->mutex);
			free(registry->agents);
			free(registry);
			return -1;
		}

		entry->registry = registry;
	} else {
		kref_get(&registry->ref);
		pthread_mutex_lock(&registry->mutex);
	}

	/* registry is locked */
	return 0;
}

static void release_registry(conn_mode_entry_t *entry)
{
	/* entry must be locked, registry must be locked */
	conn_registry_t *registry = entry->registry;

	pthread_mutex_unlock(&registry->mutex);
	kref_put(&registry->ref, registry_destroy);
}

int conn_create(juice_agent_t *agent, udp_socket_config_t *config)
{
	conn_mode_entry_t *entry = get_mode_entry(agent);
	conn_registry_t *registry;
	int i = 0;

	pthread_mutex_lock(&entry->mutex);
	if (acquire_registry(entry, config)) { /* locks the registry */
		pthread_mutex_unlock(&entry->mutex);
		return -1;
	}
	registry = entry->registry;

	while (i < registry->agents_size && registry->agents[i])
		++i;

	if (i == registry->agents_size)
		registry_grow(registry, &i);

	if (entry->init_func(agent, registry, config)) {
		release_registry(entry); /* unlocks the registry */
		pthread_mutex_unlock(&entry->mutex);
		return -1;
	}

	registry->agents[i] = agent;
	agent->conn_index = i;
	++registry->agents_count;

	pthread_mutex_unlock(&registry->mutex);

	pthread_mutex_unlock(&entry->mutex);
	conn_interrupt(agent);
	return 0;
}

void conn_destroy(juice_agent_t *agent)
{
	conn_mode_entry_t *entry = get_mode_entry(agent);
	conn_registry_t *registry;

	pthread_mutex_lock(&entry->mutex);

	registry = entry->registry;
	if (registry) {
		pthread_mutex_lock(&registry->mutex);

		entry->cleanup_func(agent);

		if (agent->conn_index >= 0) {
			registry->agents[agent->conn_index] = NULL;
			agent->conn_index = -1;
		}
		--registry->agents_count;

		release_registry(entry); /* unlocks the registry */
	}

	pthread_mutex_unlock(&entry->mutex);
}
