package org.jpkl.api.testing;

import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;

/** Runs the codec contract on the test identity codec (which also proves the contract test can pass). */
class IdentityCodecTest extends AbstractSliceCodecTest {
    @Override
    protected SliceCodec codec() {
        return new IdentityCodec();
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 0;
    }
}
