using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Runtime.Store;

/// <summary>
/// How the hosts reach their storage account, read the way the Functions host reads the connection named
/// <c>AzureWebJobsStorage</c>: a connection string (Azurite, or an account that still allows shared keys), or an
/// identity-based connection (<c>__accountName</c> or <c>__tableServiceUri</c> + <c>__blobServiceUri</c>, with
/// <c>__credential</c> and <c>__clientId</c>) reached with Entra ID tokens.
/// </summary>
public sealed record StorageAccount
{
    private StorageAccount(string? connectionString, Uri? tableServiceUri, Uri? blobServiceUri, TokenCredential? credential)
    {
        ConnectionString = connectionString;
        TableServiceUri = tableServiceUri;
        BlobServiceUri = blobServiceUri;
        Credential = credential;
    }

    /// <summary>The connection string, when the account is reached with its shared key; otherwise null.</summary>
    public string? ConnectionString { get; }

    /// <summary>The table service, when the account is reached with <see cref="Credential"/>.</summary>
    public Uri? TableServiceUri { get; }

    /// <summary>The blob service, when the account is reached with <see cref="Credential"/>.</summary>
    public Uri? BlobServiceUri { get; }

    /// <summary>The Entra ID credential, when there is no connection string.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>
    /// Extra client options (applied to every storage client after the defaults), for tests and benchmarks that
    /// add a pipeline policy or a transport.
    /// </summary>
    public Action<ClientOptions>? ConfigureOptions { get; init; }

    /// <summary>An account reached with a connection string, e.g. <c>UseDevelopmentStorage=true</c>.</summary>
    public static StorageAccount FromConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new StorageAccount(connectionString, null, null, null);
    }

    /// <summary>An account reached with Entra ID tokens at explicit service endpoints.</summary>
    public static StorageAccount FromIdentity(Uri tableServiceUri, Uri blobServiceUri, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(tableServiceUri);
        ArgumentNullException.ThrowIfNull(blobServiceUri);
        ArgumentNullException.ThrowIfNull(credential);
        return new StorageAccount(null, tableServiceUri, blobServiceUri, credential);
    }

    /// <summary>
    /// Reads the connection named <paramref name="name"/> as the Functions host does: its value is a connection
    /// string; otherwise its <c>accountName</c> (services at <c>https://{account}.{table|blob}.core.windows.net</c>)
    /// or its <c>tableServiceUri</c> and <c>blobServiceUri</c> name the services, reached with a managed identity when
    /// <c>credential</c> is <c>managedidentity</c> (user-assigned when <c>clientId</c> is set), or else with
    /// <see cref="DefaultAzureCredential"/>. Environment variables spell the separator <c>__</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing usable is set.</exception>
    public static StorageAccount FromConfiguration(IConfiguration configuration, string name = "AzureWebJobsStorage")
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[name] is { Length: > 0 } connectionString && !string.IsNullOrWhiteSpace(connectionString))
        {
            return FromConnectionString(connectionString);
        }
        var section = configuration.GetSection(name);
        var accountName = section["accountName"];
        var tableUri = section["tableServiceUri"] is { Length: > 0 } t ? new Uri(t) : null;
        var blobUri = section["blobServiceUri"] is { Length: > 0 } b ? new Uri(b) : null;
        if (!string.IsNullOrWhiteSpace(accountName))
        {
            tableUri ??= new Uri($"https://{accountName}.table.core.windows.net/");
            blobUri ??= new Uri($"https://{accountName}.blob.core.windows.net/");
        }
        if (tableUri is null || blobUri is null)
        {
            throw new InvalidOperationException(
                $"No storage connection configured: set '{name}' to a connection string, or '{name}__accountName' " +
                $"(or both '{name}__tableServiceUri' and '{name}__blobServiceUri') for an Entra ID identity.");
        }
        var clientId = section["clientId"] is { Length: > 0 } id ? id : null;
        TokenCredential credential = string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        return FromIdentity(tableUri, blobUri, credential);
    }

    /// <summary>The connection string's, or a placeholder that names neither key nor token.</summary>
    public override string ToString() => ConnectionString is not null ? "StorageAccount(connection string)" : $"StorageAccount({TableServiceUri}, {BlobServiceUri}, Entra ID)";
}

public static class StorageClients
{
    /// <summary>
    /// Registers the Azure SDK's <see cref="TableServiceClient"/> and <see cref="BlobServiceClient"/> for
    /// <paramref name="account"/> the Azure way (<c>AddAzureClients</c>): the SDK's retries, Entra ID tokens and
    /// tracing come with them. Both hosts call this through <c>AddHotlineRuntime</c>.
    /// </summary>
    public static IServiceCollection AddHotlineStorage(this IServiceCollection services, StorageAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        services.AddAzureClients(clients =>
        {
            if (account.ConnectionString is { } connectionString)
            {
                clients.AddTableServiceClient(connectionString);
                clients.AddBlobServiceClient(connectionString);
            }
            else
            {
                clients.AddTableServiceClient(account.TableServiceUri!);
                clients.AddBlobServiceClient(account.BlobServiceUri!);
                clients.UseCredential(account.Credential!);
            }
            clients.ConfigureDefaults(options =>
            {
                // Storage requests are small: a hung connection should give way to a retry well before the 100 s default.
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
                account.ConfigureOptions?.Invoke(options);
            });
        });
        return services;
    }
}
