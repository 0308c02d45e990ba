using Hotline.Api;
using Hotline.Runtime.Alarms;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;

namespace Hotline.FunctionApp;

/// <summary>The Function App's composition, in one place so the tests build the same worker host the platform starts.</summary>
public static class FunctionAppHost
{
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        // The same composition as the local host, with three Azure differences:
        // effects run before the function answers (work after the response is not guaranteed in Functions), new
        // lifecycle alarms signal the matter's Durable orchestration instead of the alarm index, and storage is reached
        // with the managed identity (AzureWebJobsStorage__accountName) where the account has shared keys off.
        builder.Services.AddSingleton<DurableClientAccessor>();
        builder.Services.AddSingleton<IAlarmScheduler, DurableAlarmScheduler>();
        builder.AddHotline(AppContext.BaseDirectory, runtime => runtime with { RunEffectsInline = true });
        // Telemetry as composed above, plus the worker's own: invocation traces and the host's correlation.
        builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        builder.Services.AddSingleton<WorkerPipeline>();
        // The local host's start-up work, before the first invocation; the directory is then refreshed on a timer.
        builder.Services.AddHostedService<StartupWork>();
        return builder;
    }
}
