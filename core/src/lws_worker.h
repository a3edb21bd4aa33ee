// What the client and the echo server share: a thread that owns one libwebsockets context,
// the one call other threads may make into it (wake), and the service loop.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <thread>

struct lws_context;
struct lws_context_creation_info;

namespace wsdemo {

class LwsWorker {
public:
    // Run on the worker thread, in this order.
    struct Hooks {
        // Creates the context (lws_create_context, vhosts...); nullptr if it could not, after
        // reporting why. Nothing else runs then.
        std::function<lws_context*()> create;
        // Checked before each lws_service() round: true ends the loop. A callback that changes
        // its answer also wakes the loop (a callback's return does not).
        std::function<bool()> finished;
        // Cancels the timers, which live in lists the context owns; the context is destroyed
        // right after.
        std::function<void()> beforeDestroy;
    };

    LwsWorker() = default;
    ~LwsWorker() { join(); }
    LwsWorker(const LwsWorker&) = delete;
    LwsWorker& operator=(const LwsWorker&) = delete;

    // Starts the thread. Once the context exists it is published for wake() and woken once, so
    // that requests queued before it existed are seen without relying on lws_create_context()
    // calling lws_cancel_service() itself.
    void start(Hooks hooks);
    // Any thread: lws_cancel_service(), the one libwebsockets call that is safe off the worker.
    // The worker then sees LWS_CALLBACK_EVENT_WAIT_CANCELLED. Does nothing without a context.
    void wake();
    // Waits for the thread to end (finished() true). Idempotent.
    void join();

private:
    void run(const Hooks& hooks);

    std::mutex mutex_;
    lws_context* context_ = nullptr;  // Guarded by mutex_: non-null while wake() may use it.
    std::thread thread_;              // Owner's thread only.
};

// Options every context here sets: explicit vhosts, and with `tls` OpenSSL's global
// initialisation, which vhosts need for TLS (their creation info must carry the flag too).
// lws 4.1.6 reassigns a process-global ex-data index at each such context's creation, which
// breaks TLS connections already running on another context. So a process has one TLS context
// at a time: the Channel's, which lives as long as the Channel and serves every connection, or
// a TLS EchoServer's (--echo-server --tls-cert). Tests that hold both create both first.
void initContextInfo(lws_context_creation_info& info, void* user, bool tls);

}  // namespace wsdemo
