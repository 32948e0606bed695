package org.jsplice.testkit.contract;

/**
 * The whole contract a {@link org.jsplice.spi.PipeProvider} must pass. A provider's test class
 * implements it and the one hook:
 *
 * <pre>{@code
 * class MyProviderContractTest implements PipeProviderContract {
 *     @Override
 *     public PipeProvider provider() {
 *         return new MyPipeProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>jqwik runs every property with its default number of tries. Each property is named after the
 * rule it checks; its javadoc says what to look at when it fails. Declare missing optional behaviour
 * by overriding {@link #capabilities()}: the properties that need it are then skipped with a message,
 * and the contract checks that the behaviour fails cleanly instead.
 */
public interface PipeProviderContract extends SegmentCountContract, AlignmentContract, PartialTransferContract,
        ErrorPathContract, IntegrityContract, CapabilityContract, ReadContract, SpliceContract, TeeContract,
        FifoContract, DescriptorContract, FallbackContract {
}
