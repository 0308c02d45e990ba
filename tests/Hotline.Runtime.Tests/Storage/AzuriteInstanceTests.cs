using System.Net.Sockets;
using Azure.Data.Tables;
using Hotline.Testing;

namespace Hotline.Runtime.Tests.Storage;

public sealed class AzuriteInstanceTests
{
    [Fact]
    public async Task Starts_on_free_loopback_ports_serves_requests_and_is_gone_after_dispose()
    {
        var azurite = await AzuriteInstance.StartAsync();
        int port;
        try
        {
            var endpoints = new[] { azurite.BlobEndpoint, azurite.QueueEndpoint, azurite.TableEndpoint };
            Assert.All(endpoints, e => Assert.Equal("127.0.0.1", e.Host));
            Assert.All(endpoints, e => Assert.Equal("/devstoreaccount1", e.AbsolutePath));
            Assert.Equal(3, endpoints.Select(e => e.Port).Distinct().Count());
            Assert.DoesNotContain(10001, endpoints.Select(e => e.Port));

            var table = new TableClient(azurite.ConnectionString, StorageNames.Table());
            Assert.NotNull((await table.CreateIfNotExistsAsync()).Value);
            port = azurite.TableEndpoint.Port;
        }
        finally
        {
            await azurite.DisposeAsync();
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync("127.0.0.1", port));
        await azurite.DisposeAsync(); // idempotent
    }

    [Fact]
    public void A_missing_azurite_says_to_run_ensure_tools()
    {
        var empty = Directory.CreateTempSubdirectory("no-azurite-");
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => AzuriteInstance.FindAzurite(empty));

            Assert.Contains("scripts/ensure-tools", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_repository_root_is_found_even_when_binaries_live_outside_it()
    {
        var root = AzuriteInstance.FindRepositoryRoot();

        Assert.True(File.Exists(Path.Combine(root.FullName, "Hotline.Functions.sln")));
        Assert.True(File.Exists(AzuriteInstance.FindAzurite(root)));
    }

    [Fact]
    public void Unique_names_are_valid_for_each_service()
    {
        // The services' naming rules (the SDK clients accept any string and leave it to the service to refuse).
        Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,62}$", StorageNames.Table());
        Assert.Matches("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", StorageNames.Container("Evidence"));
        Assert.Matches("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", StorageNames.Queue("alarms"));
        Assert.NotEqual(StorageNames.Table(), StorageNames.Table());
    }
}
