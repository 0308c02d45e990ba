using Azure.Monitor.OpenTelemetry.Exporter;
using Hotline.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Hotline.Api;

/// <summary>
/// OpenTelemetry, the same in both hosts: the <c>Hotline</c> meter (what the alert rules and the workbook in infra/
/// read), ASP.NET Core and HttpClient metrics and traces, and logs. Exported to Azure Monitor when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (with Entra ID when <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>
/// says <c>Authorization=AAD</c>, as infra sets it), over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and
/// nowhere otherwise (a developer's machine).
/// </summary>
public static class HotlineTelemetry
{
    public static IOpenTelemetryBuilder AddHotlineTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "hotline"))
            .WithMetrics(metrics => metrics.AddMeter(HotlineMetrics.Meter.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
            .WithLogging(_ => { }, options =>
            {
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = true;
            });

        if (configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString)
        {
            var authentication = configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] ?? "";
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                if (AuthenticationPart(authentication, "Authorization") is { } mode && mode.Equals("AAD", StringComparison.OrdinalIgnoreCase))
                {
                    // The app's managed identity (a user-assigned one when ClientId names it): no instrumentation key is trusted.
                    options.Credential = new Azure.Identity.DefaultAzureCredential(new Azure.Identity.DefaultAzureCredentialOptions
                    {
                        ManagedIdentityClientId = AuthenticationPart(authentication, "ClientId"),
                    });
                }
            });
        }
        if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return telemetry;
    }

    /// <summary>One part of "Authorization=AAD;ClientId=…".</summary>
    private static string? AuthenticationPart(string authentication, string name) =>
        authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1])
            .FirstOrDefault();
}
