using Hotline.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hotline.Api;

/// <summary>
/// What both hosts are made of, registered once: checked options, storage clients and the runtime, the API's
/// conventions, keys and limits, the SMS sender, the health checks and telemetry. Each host then adds only its own: Kestrel, the
/// background pump, OpenAPI and the Development clock locally; the worker, the Durable scheduler and timers in Azure.
/// </summary>
public static class HotlineComposition
{
    /// <param name="contentRoot">Where Data/ lies (the seed directory, routing, services).</param>
    /// <param name="runtime">The host's own runtime tuning (the Function App runs effects before it answers).</param>
    public static TBuilder AddHotline<TBuilder>(this TBuilder builder, string contentRoot, Func<RuntimeOptions, RuntimeOptions>? runtime = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Checked now, before anything reads them, and again at start like every validated option.
        var options = HotlineOptions.Read(builder.Configuration);
        builder.Services.AddOptions<HotlineOptions>().BindConfiguration(HotlineOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var settings = HostSettings.Read(builder.Configuration, contentRoot, options);
        if (runtime is not null) settings = settings with { Options = runtime(settings.Options) };
        builder.Services.AddConfiguredSmsSender(builder.Configuration); // before the runtime, which keeps a sender registered first
        builder.Services.AddHotlineRuntime(settings);
        builder.Services.AddHotlineApi(builder.Configuration, options.RateLimit);
        builder.Services.AddHotlineHealthChecks();
        builder.AddHotlineTelemetry();
        return builder;
    }
}
