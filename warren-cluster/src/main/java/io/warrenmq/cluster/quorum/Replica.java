package io.warrenmq.cluster.quorum;

import io.warrenmq.cluster.quorum.QuorumCommands.Command;
import java.util.List;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeerId;
import org.jspecify.annotations.Nullable;

/** What a quorum queue group's committed entries are applied to: the queue on this node ({@link QueueStateMachine}). */
interface Replica {
  /** Applies committed entry {@code index} ({@code segment}: where its bodies are, or -1); its reply. */
  Message apply(long index, List<Command> commands, long segment);

  /** This member's leader changed: {@code self} whether it is this node now. */
  void leaderChanged(boolean self, @Nullable RaftPeerId leader);

  /** The state as of the last applied entry (on the apply thread, between entries), or null for none. */
  byte @Nullable [] snapshot();

  /** The state is that of a snapshot now (at start, or installed from the leader). */
  void restore(byte[] state);

  /** The replica of a group this node left: applies nothing, hears nothing. */
  Replica DISCARD = new Replica() {
    @Override
    public Message apply(long index, List<Command> commands, long segment) {
      return Message.EMPTY;
    }

    @Override
    public void leaderChanged(boolean self, @Nullable RaftPeerId leader) {}

    @Override
    public byte @Nullable [] snapshot() {
      return null;
    }

    @Override
    public void restore(byte[] state) {}
  };
}
