using Hotline.Orchestrations.Profiles;
using Hotline.Runtime;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.ReturnVisits;
using Hotline.Runtime.Store;
using Hotline.Runtime.Sms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

/// <summary>
/// Reads the settings operators and scripts rely on, the same way in both hosts (the content root holds Data/): <c>AzureWebJobsStorage</c> (a connection string, default
/// <c>UseDevelopmentStorage=true</c>, or <c>AzureWebJobsStorage__accountName</c> / <c>__tableServiceUri</c> + <c>__blobServiceUri</c>
/// with <c>__credential</c> and <c>__clientId</c> for Entra ID; see <see cref="StorageAccount.FromConfiguration"/>),
/// <c>Hotline:Profile</c> (default fujian), <c>Hotline:OrganizersFile</c>, <c>Hotline:PublicBaseUri</c>,
/// <c>Hotline:TablePrefix</c> and <c>Hotline:Runtime:*</c>. Environment variables override files as usual
/// (<c>Hotline__Profile</c>).
/// </summary>
public static class HostSettings
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <param name="options">The checked <c>Hotline</c> section (<see cref="HotlineOptions.Read"/>).</param>
    public static HotlineSettings Read(IConfiguration configuration, string contentRoot, HotlineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = ProfileCatalog.Get(options.Profile);
        var storage = StorageAccount.FromConfiguration(configuration, "AzureWebJobsStorage");
        var organizersFile = Path.Combine(contentRoot, configuration["Hotline:OrganizersFile"] ?? "Data/organizers.json");
        var directory = OrganizerDirectory.Parse(File.ReadAllText(organizersFile));
        var routingFile = Path.Combine(contentRoot, configuration["Hotline:RoutingFile"] ?? "Data/routing.json");
        var routing = System.Text.Json.JsonSerializer.Deserialize<RoutingTable>(File.ReadAllText(routingFile), HotlineJson.Options)
            ?? throw new FormatException($"{routingFile} is empty.");
        routing.Validate(directory);
        var runtime = configuration.GetSection("Hotline:Runtime").Get<RuntimeOptions>() ?? new RuntimeOptions();
        var publicBase = options.PublicBaseUri is { Length: > 0 } configured ? configured : FirstUrl(configuration["urls"]) ?? DefaultUrl;
        return new HotlineSettings(storage, profile, directory, runtime with { PublicBaseUri = new Uri(publicBase.TrimEnd('/') + "/") },
            options.TablePrefix ?? "", Routing: routing,
            ReturnVisits: new ReturnVisitOptions(options.ReturnVisits.Share, options.ReturnVisits.Seed));
    }

    private static string? FirstUrl(string? urls) =>
        urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()?.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal);
}

public static class SmsSettings
{
    /// <summary>
    /// SMS through Azure Communication Services when <c>Hotline:Sms:From</c> is set, with either
    /// <c>Hotline:Sms:AcsConnectionString</c> (access key, HMAC) or <c>Hotline:Sms:AcsEndpoint</c> (managed identity);
    /// otherwise the local outbox. Call before AddHotlineRuntime, which keeps a sender registered first.
    /// </summary>
    public static IServiceCollection AddConfiguredSmsSender(this IServiceCollection services, IConfiguration configuration)
    {
        var from = configuration["Hotline:Sms:From"];
        if (string.IsNullOrWhiteSpace(from)) return services;
        var connection = configuration["Hotline:Sms:AcsConnectionString"] is { Length: > 0 } connectionString
            ? AcsSmsConnection.Parse(connectionString)
            : configuration["Hotline:Sms:AcsEndpoint"] is { Length: > 0 } endpoint
                ? AcsSmsConnection.FromCredential(new Uri(endpoint), new Azure.Identity.DefaultAzureCredential(new Azure.Identity.DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = configuration["Hotline:Sms:ClientId"],
                }))
                : throw new InvalidOperationException("Hotline:Sms:From is set: set Hotline:Sms:AcsConnectionString or Hotline:Sms:AcsEndpoint too.");
        services.AddSingleton<ISmsSender>(new AcsSmsSender(connection, from));
        return services;
    }
}
