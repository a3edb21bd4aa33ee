#include "lws_worker.h"

#include "ws_framing.h"

#include <libwebsockets.h>

#include <cstring>

namespace wsdemo {

void LwsWorker::start(Hooks hooks) {
    thread_ = std::thread([this, hooks = std::move(hooks)] { run(hooks); });
}

void LwsWorker::wake() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (context_) lws_cancel_service(context_);
}

void LwsWorker::join() {
    if (thread_.joinable()) thread_.join();
}

void LwsWorker::run(const Hooks& hooks) {
    lws_context* context = hooks.create();
    if (!context) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        context_ = context;
    }
    wake();
    while (!hooks.finished()) lws_service(context, 0);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        context_ = nullptr;
    }
    hooks.beforeDestroy();
    lws_context_destroy(context);
}

void initContextInfo(lws_context_creation_info& info, void* user, bool tls) {
    std::memset(&info, 0, sizeof info);
    info.user = user;
    // Vhosts are made by the owner, each with the options it needs. No
    // LWS_SERVER_OPTION_VALIDATE_UTF8: lws 4.1.6 drops the connection on bad UTF-8, where RFC
    // 6455 asks for a 1007 close, which MessageAssembler sends.
    info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    info.pt_serv_buf_size = kSocketChunkBytes;
    if (tls) info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
}

}  // namespace wsdemo
