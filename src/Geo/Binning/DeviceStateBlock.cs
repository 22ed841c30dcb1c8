using System.Runtime.InteropServices;

namespace CrowdWatch.Geo.Binning;

/// <summary>
/// Zeroed native memory for per-device binning state, on 64-byte boundaries and, on Linux, in 2 MB pages.
/// </summary>
/// <remarks>
/// Device states are read in device order, which in a stream of pings is random: with 100 000 devices in 4 KB pages
/// nearly every lookup also misses the TLB, and under a hypervisor each of those walks two page tables. Transparent
/// huge pages (asked for with madvise; a hint the kernel may ignore) cut those misses to almost none. On Linux the
/// block is its own anonymous mapping: the kernel hands it over as untouched zero pages, so only the states of devices
/// actually seen are ever faulted in and nothing has to be cleared. Getting fresh huge pages from the kernel is not
/// free (it zeroes and may compact), so one released block is kept for the next binner (<see cref="Rent"/>,
/// <see cref="Return"/>), as array pools do: ingesting file after file then reuses memory that is already mapped.
/// The block is a SafeHandle so the memory is returned even if its owner is never disposed.
/// </remarks>
internal sealed unsafe partial class DeviceStateBlock : SafeHandle
{
    private const nuint HugePage = 1 << 21;
    private const int ProtReadWrite = 0x1 | 0x2;
    private const int MapPrivateAnonymous = 0x02 | 0x20;
    private const int MadviseHugePage = 14;

    private static DeviceStateBlock? s_spare;

    private readonly nuint _mapped; // bytes mapped at handle (0: allocated from the native heap)

    /// <summary>A zeroed block of at least <paramref name="bytes"/>: the kept one if it is large enough, else a new one.</summary>
    public static DeviceStateBlock Rent(nuint bytes)
    {
        var spare = Interlocked.Exchange(ref s_spare, null);
        if (spare is not null && spare.Length >= bytes)
        {
            NativeMemory.Clear(spare.Pointer, bytes);
            return spare;
        }

        spare?.Dispose();
        return new DeviceStateBlock(bytes);
    }

    /// <summary>Hands a block back: kept for the next <see cref="Rent"/> if it is the larger, else released.</summary>
    public static void Return(DeviceStateBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var previous = Interlocked.Exchange(ref s_spare, block);
        if (previous is null) return;
        // Keep the larger of the two.
        if (previous.Length > block.Length && Interlocked.CompareExchange(ref s_spare, previous, block) == block) block.Dispose();
        else previous.Dispose();
    }

    /// <summary>Allocates at least <paramref name="bytes"/> zeroed bytes.</summary>
    public DeviceStateBlock(nuint bytes)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        bytes = Math.Max(bytes, 64);
        Length = bytes;
        if (OperatingSystem.IsLinux())
        {
            // Room to start on a 2 MB boundary, so that every 2 MB of states can be one page.
            var size = bytes + HugePage;
            var p = TryMap(size);
            if (p != (void*)-1)
            {
                SetHandle((IntPtr)p);
                _mapped = size;
                var start = ((nuint)p + HugePage - 1) & ~(HugePage - 1);
                // Advise before the first touch, so the pages are huge from the start rather than collapsed later.
                _ = Madvise((void*)start, bytes, MadviseHugePage);
                Pointer = (void*)start;
                GC.AddMemoryPressure((long)size);
                return;
            }
        }

        var raw = NativeMemory.AllocZeroed(bytes + 64);
        SetHandle((IntPtr)raw);
        Pointer = (void*)(((nuint)raw + 63) & ~(nuint)63);
        GC.AddMemoryPressure((long)(bytes + 64));
    }

    /// <summary>Usable bytes from <see cref="Pointer"/>.</summary>
    public nuint Length { get; }

    /// <summary>The start of the block (64-byte aligned; 2 MB aligned when mapped).</summary>
    public void* Pointer { get; }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        if (_mapped != 0)
        {
            _ = Munmap((void*)handle, _mapped);
            GC.RemoveMemoryPressure((long)_mapped);
        }
        else
        {
            NativeMemory.Free((void*)handle);
            GC.RemoveMemoryPressure((long)(Length + 64));
        }

        return true;
    }

    // (void*)-1 when the mapping fails, or when libc cannot be called at all: the native heap serves then.
    private static void* TryMap(nuint size)
    {
        try
        {
            return Mmap(null, size, ProtReadWrite, MapPrivateAnonymous, -1, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return (void*)-1;
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
