using System.Net.Sockets;
using Hotline.Storage.Queues;
using Hotline.Testing;

namespace Hotline.Storage.Tests;

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

            var queue = new QueueClient(StorageConnection.Parse(azurite.ConnectionString), StorageNames.Queue());
            Assert.True((await queue.CreateIfNotExistsAsync()).Value);
            port = azurite.QueueEndpoint.Port;
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
        var connection = StorageConnection.Development();

        _ = new Hotline.Storage.Tables.TableClient(connection, StorageNames.Table());
        _ = new Hotline.Storage.Blobs.BlobContainerClient(connection, StorageNames.Container("Evidence"));
        _ = new QueueClient(connection, StorageNames.Queue("alarms"));
        Assert.NotEqual(StorageNames.Table(), StorageNames.Table());
    }
}
