using Xunit;

namespace Hotline.Testing;

/// <summary>
/// xunit fixture owning one <see cref="AzuriteInstance"/>. Use it as <c>IClassFixture&lt;AzuriteFixture&gt;</c>
/// (one emulator per test class), or declare in your test assembly
/// <c>[CollectionDefinition("Azurite")] public sealed class AzuriteCollection : ICollectionFixture&lt;AzuriteFixture&gt;;</c>
/// to share one across classes (xunit only finds collection definitions in the test assembly itself).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteInstance? _azurite;

    /// <summary>The running emulator.</summary>
    public AzuriteInstance Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not been started yet.");

    /// <summary>Shortcut for <see cref="AzuriteInstance.ConnectionString"/>.</summary>
    public string ConnectionString => Azurite.ConnectionString;

    /// <inheritdoc />
    public async Task InitializeAsync() => _azurite = await AzuriteInstance.StartAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Unique, valid resource names so tests can share one emulator without seeing each other's data.</summary>
public static class StorageNames
{
    /// <summary>A table name: letters and digits, starting with <paramref name="prefix"/> (letters only).</summary>
    public static string Table(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A container name: lowercase letters, digits and dashes.</summary>
    public static string Container(string prefix = "c") => prefix.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A queue name: lowercase letters, digits and dashes.</summary>
    public static string Queue(string prefix = "q") => prefix.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..20];
}
