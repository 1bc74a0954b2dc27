<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Canvas</name>
    <message>
        <source>Drawing canvas</source>
        <translation>绘图画布</translation>
    </message>
    <message>
        <source>Draw a digit with the mouse; the prediction updates as you draw.</source>
        <translation>用鼠标写一个数字，识别结果随笔画实时更新。</translation>
    </message>
</context>
<context>
    <name>ComparisonDialog</name>
    <message>
        <source>{a} vs {b}</source>
        <translation>{a} 对比 {b}</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Recipe</source>
        <translation>训练方案</translation>
    </message>
    <message>
        <source>Test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <source>Digit {digit}</source>
        <translation>数字 {digit}</translation>
    </message>
    <message>
        <source>difference</source>
        <translation>差值</translation>
    </message>
    <message>
        <source>{value} points</source>
        <translation>{value} 个百分点</translation>
    </message>
    <message>
        <source>&amp;Evaluate side by side</source>
        <translation>并排评估(&amp;E)</translation>
    </message>
    <message>
        <source>Run both on the same images in the Evaluate tab: confusion matrices and the images one reads right and the other wrong</source>
        <translation>在“评估”页用同一批图像运行这两个模型：查看混淆矩阵，以及一个识别正确、另一个识别错误的图像</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrix</name>
    <message>
        <source>true {true} → predicted {predicted}: {images} ({share})</source>
        <translation>真实 {true} → 识别为 {predicted}：{images}（{share}）</translation>
    </message>
    <message>
        <source>{share} of the {row} images of a {true}</source>
        <translation>占 {row} 张 {true} 的图像的 {share}</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>{right} of {images} read right</source>
        <translation>{images}中识别正确 {right} 张</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>识别为</translation>
    </message>
    <message>
        <source>true digit</source>
        <translation>真实数字</translation>
    </message>
    <message>
        <source>Run an evaluation to see
which digits the model confuses</source>
        <translation>运行一次评估，
看看模型会混淆哪些数字</translation>
    </message>
</context>
<context>
    <name>Core</name>
    <message>
        <source>Downloaded MNIST</source>
        <translation>已下载 MNIST</translation>
    </message>
    <message>
        <source>Scoring the model on MNIST</source>
        <translation>正在用 MNIST 评估模型</translation>
    </message>
    <message>
        <source>Preparing your samples</source>
        <translation>正在准备你的样本</translation>
    </message>
    <message>
        <source>Decoding MNIST</source>
        <translation>正在解码 MNIST</translation>
    </message>
    <message>
        <source>Decoded MNIST</source>
        <translation>已解码 MNIST</translation>
    </message>
    <message>
        <source>; 1 file skipped: {first}</source>
        <translation>；跳过了 1 个文件：{first}</translation>
    </message>
    <message>
        <source>; {count} files skipped, first: {first}</source>
        <translation>；跳过了 {count} 个文件，第一个：{first}</translation>
    </message>
    <message>
        <source>That run&apos;s model is no longer in the trash.</source>
        <translation>那次训练的模型已不在回收站中。</translation>
    </message>
    <message>
        <source>The new model ({accuracy:.2f} %) is now the active model.</source>
        <translation>新模型（{accuracy:.2f}%）现在是当前模型。</translation>
    </message>
    <message>
        <source>The new model reached {new:.2f} %, {gap:.2f} points below the active model&apos;s {active:.2f} %. It was kept in the library; the active model stays.</source>
        <translation>新模型达到 {new:.2f}%，比当前模型的 {active:.2f}% 低 {gap:.2f} 个百分点。它已保留在模型库中，当前模型保持不变。</translation>
    </message>
    <message>
        <source>The run diverged: {why}.</source>
        <translation>训练发散了：{why}。</translation>
    </message>
    <message>
        <source>The shipped models cannot be deleted.</source>
        <translation>内置模型不能删除。</translation>
    </message>
    <message>
        <source>The shipped models keep their names; rename a copy instead.</source>
        <translation>内置模型的名称不能更改；请重命名它的副本。</translation>
    </message>
    <message>
        <source>Timed the devices</source>
        <translation>已完成设备计时</translation>
    </message>
    <message>
        <source>Reading MNIST test</source>
        <translation>正在读取 MNIST 测试集</translation>
    </message>
    <message>
        <source># Model card: {title}</source>
        <translation># 模型卡片：{title}</translation>
    </message>
    <message>
        <source>## Hyper-parameters</source>
        <translation>## 超参数</translation>
    </message>
    <message>
        <source>## Per-class test accuracy</source>
        <translation>## 各数字的测试准确率</translation>
    </message>
    <message>
        <source>## Personalization</source>
        <translation>## 个性化</translation>
    </message>
    <message>
        <source>## Real pen digits</source>
        <translation>## 真实笔迹数字</translation>
    </message>
    <message>
        <source>- Created: {created} with torch {torch}</source>
        <translation>- 创建于：{created}，使用 torch {torch}</translation>
    </message>
    <message>
        <source>- Data set: {dataset} ({train} training, {test} test images)</source>
        <translation>- 数据集：{dataset}（{train} 张训练图像，{test} 张测试图像）</translation>
    </message>
    <message>
        <source>- Fine-tuned from: {model}</source>
        <translation>- 微调自：{model}</translation>
    </message>
    <message>
        <source>- Network: `{network}`</source>
        <translation>- 网络：`{network}`</translation>
    </message>
    <message>
        <source>- Remembers {count} of the user&apos;s drawings and reads one drawn the same way as its label (matched stroke by stroke)</source>
        <translation>- 记住用户的 {count} 个手写样本，以同样笔顺写出的数字按该样本的标签识别（逐笔匹配）</translation>
    </message>
    <message>
        <source>- Test accuracy: {accuracy:.2%}</source>
        <translation>- 测试准确率：{accuracy:.2%}</translation>
    </message>
    <message>
        <source>- The user&apos;s samples: {samples} (before/after on them by {folds}-fold cross-validation)</source>
        <translation>- 用户的样本：{samples} 个（在这些样本上的前后对比采用 {folds} 折交叉验证）</translation>
    </message>
    <message>
        <source>- Training time: {seconds:.1f} s</source>
        <translation>- 训练用时：{seconds:.1f} 秒</translation>
    </message>
    <message>
        <source>A model&apos;s name can have at most {count} characters.</source>
        <translation>模型名称最多只能有 {count} 个字符。</translation>
    </message>
    <message>
        <source>A model&apos;s name cannot be empty.</source>
        <translation>模型名称不能为空。</translation>
    </message>
    <message>
        <source>Added {count:,} samples of yours</source>
        <translation>已加入你的 {count:,} 个样本</translation>
    </message>
    <message>
        <source>Downloading {file}</source>
        <translation>正在下载 {file}</translation>
    </message>
    <message>
        <source>MNIST + real pen digits (UNIPEN 1a: {collections})</source>
        <translation>MNIST + 真实笔迹数字（UNIPEN 1a：{collections}）</translation>
    </message>
    <message>
        <source>MNIST not found in {folder} ({reason}). digitpad needs the four files {files} in a folder MNIST/raw inside the data folder (choosing that raw folder itself works too), or an internet connection to download them.</source>
        <translation>在 {folder} 中找不到 MNIST（{reason}）。digitpad 需要数据文件夹内 MNIST/raw 文件夹中的四个文件 {files}（直接选择该 raw 文件夹也可以），或者需要联网下载它们。</translation>
    </message>
    <message>
        <source>Only the {count:,} pen digits of the collections {model} did not train on: it learned from those of {collections}, so they are no test of it.</source>
        <translation>只计 {model} 没有训练过的那些数据集里的 {count:,} 个手写笔数字：它学过 {collections} 的数字，那些不能用来检验它。</translation>
    </message>
    <message>
        <source>Reading pen digits</source>
        <translation>正在读取笔迹数字</translation>
    </message>
    <message>
        <source>Reading your samples in {folder}</source>
        <translation>正在读取 {folder} 中你的样本</translation>
    </message>
    <message>
        <source>Rendering pen digits</source>
        <translation>正在渲染笔迹数字</translation>
    </message>
    <message>
        <source>Timing a few batches on {device}</source>
        <translation>正在 {device} 上为几批数据计时</translation>
    </message>
    <message>
        <source>UNIPEN 1a digits replayed through the drawing path (bench/real_handwriting.py): {digits:,} digits from the collections {held_out}, none of them trained on (collections trained on: {trained}).</source>
        <translation>UNIPEN 1a 数字按绘图路径重放（bench/real_handwriting.py）：来自数据集 {held_out} 的 {digits:,} 个数字，均未用于训练（用于训练的数据集：{trained}）。</translation>
    </message>
    <message>
        <source>a point is not finite</source>
        <translation>有一个点不是有限数</translation>
    </message>
    <message>
        <source>a sample&apos;s label must be a digit 0-9, not {label!r}</source>
        <translation>样本的标签必须是数字 0-9，而不是 {label!r}</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>an ensemble needs at least two models</source>
        <translation>集成至少需要两个模型</translation>
    </message>
    <message>
        <source>as set</source>
        <translation>手动指定</translation>
    </message>
    <message>
        <source>auto: fastest for this recipe, {time} a batch against {others} ({when})</source>
        <translation>auto：对这套设置最快，每批 {time}，其他设备为 {others}（{when}）</translation>
    </message>
    <message>
        <source>auto: the only device here</source>
        <translation>auto：这里唯一的设备</translation>
    </message>
    <message>
        <source>bad arguments for network {name!r}: {why}</source>
        <translation>网络 {name!r} 的参数有误：{why}</translation>
    </message>
    <message>
        <source>bad pool size</source>
        <translation>池大小有误</translation>
    </message>
    <message>
        <source>batch size must be 1..65536, not {size}</source>
        <translation>批大小必须在 1..65536 之间，而不是 {size}</translation>
    </message>
    <message>
        <source>batch sizes must be positive</source>
        <translation>批大小必须为正数</translation>
    </message>
    <message>
        <source>batch {batch}</source>
        <translation>第 {batch} 批</translation>
    </message>
    <message>
        <source>batches {first} to {last} (first at batch {bad})</source>
        <translation>第 {first} 到 {last} 批（最早出现在第 {bad} 批）</translation>
    </message>
    <message>
        <source>cannot create it: {error}</source>
        <translation>无法创建：{error}</translation>
    </message>
    <message>
        <source>cannot read real pen digits from {path}: {error}</source>
        <translation>无法从 {path} 读取真实笔迹数字：{error}</translation>
    </message>
    <message>
        <source>cannot read the samples folder {folder}: {error}</source>
        <translation>无法读取样本文件夹 {folder}：{error}</translation>
    </message>
    <message>
        <source>cannot read {path} as a stroke file: {error}</source>
        <translation>无法把 {path} 读取为笔画文件：{error}</translation>
    </message>
    <message>
        <source>cannot read {path} as an image: {error}</source>
        <translation>无法把 {path} 读取为图片：{error}</translation>
    </message>
    <message>
        <source>cannot read {path}: {error}</source>
        <translation>无法读取 {path}：{error}</translation>
    </message>
    <message>
        <source>cannot save samples in {path}: it is a file, not a folder (move or rename it)</source>
        <translation>无法将样本保存到 {path}：它是一个文件，而不是文件夹（请移走或重命名它）</translation>
    </message>
    <message>
        <source>cannot save to {path}: it is a folder</source>
        <translation>无法保存到 {path}：它是一个文件夹</translation>
    </message>
    <message>
        <source>cannot save to {path}: {error}</source>
        <translation>无法保存到 {path}：{error}</translation>
    </message>
    <message>
        <source>cannot save to {path}: {file} is a file, not a folder</source>
        <translation>无法保存到 {path}：{file} 是文件，不是文件夹</translation>
    </message>
    <message>
        <source>cannot save {path}: disk full</source>
        <translation>无法保存 {path}：磁盘已满</translation>
    </message>
    <message>
        <source>cannot save {path}: disk full ({free:.1f} MiB free, {needed:.1f} MiB needed)</source>
        <translation>无法保存 {path}：磁盘已满（可用 {free:.1f} MiB，需要 {needed:.1f} MiB）</translation>
    </message>
    <message>
        <source>cannot save {path}: {error}</source>
        <translation>无法保存 {path}：{error}</translation>
    </message>
    <message>
        <source>cannot write into {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <source>cannot write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <source>captured CUDA graph</source>
        <translation>捕获的 CUDA 图</translation>
    </message>
    <message>
        <source>copies must be 1..1024</source>
        <translation>副本数必须在 1..1024 之间</translation>
    </message>
    <message>
        <source>device must be one of {devices}, not {device!r}</source>
        <translation>设备必须是 {devices} 之一，而不是 {device!r}</translation>
    </message>
    <message>
        <source>device {name!r} is not available on this machine</source>
        <translation>这台计算机上没有设备 {name!r}</translation>
    </message>
    <message>
        <source>download failed: {why}</source>
        <translation>下载失败：{why}</translation>
    </message>
    <message>
        <source>eager</source>
        <translation>逐步执行</translation>
    </message>
    <message>
        <source>epochs must be 1..1000</source>
        <translation>轮数必须在 1..1000 之间</translation>
    </message>
    <message>
        <source>epochs must be 1..1000, not {epochs}</source>
        <translation>轮数必须在 1..1000 之间，而不是 {epochs}</translation>
    </message>
    <message>
        <source>file not found: {path}</source>
        <translation>找不到文件：{path}</translation>
    </message>
    <message>
        <source>files missing</source>
        <translation>缺少文件</translation>
    </message>
    <message>
        <source>folder {path} is not named after a digit (0-9)</source>
        <translation>文件夹 {path} 不是以数字（0-9）命名的</translation>
    </message>
    <message>
        <source>folds must be 2..20</source>
        <translation>折数必须在 2..20 之间</translation>
    </message>
    <message>
        <source>format version {version!r} is not supported (expected {expected})</source>
        <translation>不支持格式版本 {version!r}（应为 {expected}）</translation>
    </message>
    <message>
        <source>hand-written mlp step</source>
        <translation>手写的 mlp 训练步</translation>
    </message>
    <message>
        <source>image not found: {path}</source>
        <translation>找不到图片：{path}</translation>
    </message>
    <message>
        <source>images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>it asks to run {name}; refused without executing anything</source>
        <translation>它要求运行 {name}；已拒绝，未执行任何内容</translation>
    </message>
    <message>
        <source>it holds no weights</source>
        <translation>其中没有权重</translation>
    </message>
    <message>
        <source>it is not a digitpad model file (only weights, or another program&apos;s data)</source>
        <translation>它不是 digitpad 模型文件（只有权重，或是其他程序的数据）</translation>
    </message>
    <message>
        <source>it is not a file</source>
        <translation>它不是文件</translation>
    </message>
    <message>
        <source>its loss rose from {first:.3g} to {last:.3g} instead of falling</source>
        <translation>它的损失从 {first:.3g} 升到了 {last:.3g}，而不是下降</translation>
    </message>
    <message>
        <source>its model card is malformed</source>
        <translation>它的模型卡片格式有误</translation>
    </message>
    <message>
        <source>its network settings are invalid</source>
        <translation>它的网络设置无效</translation>
    </message>
    <message>
        <source>its network settings are invalid ({why})</source>
        <translation>它的网络设置无效（{why}）</translation>
    </message>
    <message>
        <source>its remembered drawings are malformed</source>
        <translation>它记住的手写样本格式有误</translation>
    </message>
    <message>
        <source>its test accuracy is {accuracy:.2f} %, under 50 %: too low to read digits with (guessing gets 10 %)</source>
        <translation>它的测试准确率是 {accuracy:.2f}%，低于 50%：还不能用来识别数字（随机猜测也有 10%）</translation>
    </message>
    <message>
        <source>its weights contain NaN or infinite values</source>
        <translation>它的权重中有 NaN 或无穷大的值</translation>
    </message>
    <message>
        <source>its weights do not fit the {name} network</source>
        <translation>它的权重与 {name} 网络不匹配</translation>
    </message>
    <message>
        <source>label {label!r} is not a digit</source>
        <translation>标签 {label!r} 不是数字</translation>
    </message>
    <message>
        <source>labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>large</source>
        <translation>大</translation>
    </message>
    <message>
        <source>learning rate must be &gt; 0</source>
        <translation>学习率必须大于 0</translation>
    </message>
    <message>
        <source>learning rate must be &gt; 0, not {lr}</source>
        <translation>学习率必须大于 0，而不是 {lr}</translation>
    </message>
    <message>
        <source>model file not found: {path}</source>
        <translation>找不到模型文件：{path}</translation>
    </message>
    <message>
        <source>momentum must be in [0, 1), not {momentum}</source>
        <translation>动量必须在 [0, 1) 之间，而不是 {momentum}</translation>
    </message>
    <message>
        <source>no images in the folder {folder}</source>
        <translation>文件夹 {folder} 中没有图片</translation>
    </message>
    <message>
        <source>no mirror</source>
        <translation>没有镜像</translation>
    </message>
    <message>
        <source>no samples to personalize with: save a few digits first</source>
        <translation>没有可用于个性化的样本：请先保存几个数字</translation>
    </message>
    <message>
        <source>no usable samples in {folder} (expected &lt;digit&gt;/&lt;id&gt;.png files{skipped})</source>
        <translation>{folder} 中没有可用的样本（应为 &lt;数字&gt;/&lt;id&gt;.png 文件{skipped}）</translation>
    </message>
    <message>
        <source>no usable samples in {folder}: draw a digit on the Draw tab and press its key (0-9) to save one, or put &lt;digit&gt;/&lt;name&gt;.png files there{skipped}</source>
        <translation>{folder} 中没有可用的样本：在“绘图”页写一个数字，再按对应的键（0-9）保存，或者把 &lt;数字&gt;/&lt;名称&gt;.png 文件放到那里{skipped}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>not a list of records</source>
        <translation>不是记录的列表</translation>
    </message>
    <message>
        <source>optimizer must be sgd or adam, not {optimizer!r}</source>
        <translation>优化器必须是 sgd 或 adam，而不是 {optimizer!r}</translation>
    </message>
    <message>
        <source>real pen digits not found: expected {file} in {folder}</source>
        <translation>找不到真实笔迹数字：{folder} 中应有 {file}</translation>
    </message>
    <message>
        <source>report_every must be &gt;= 1</source>
        <translation>report_every 必须 &gt;= 1</translation>
    </message>
    <message>
        <source>samples folder not found: {folder}</source>
        <translation>找不到样本文件夹：{folder}</translation>
    </message>
    <message>
        <source>schedule must be constant or onecycle, not {schedule!r}</source>
        <translation>学习率计划必须是 constant 或 onecycle，而不是 {schedule!r}</translation>
    </message>
    <message>
        <source>seed must be 0..2^63-1, not {seed}</source>
        <translation>种子必须在 0..2^63-1 之间，而不是 {seed}</translation>
    </message>
    <message>
        <source>skipped folder {path} is not named after a digit (0-9)</source>
        <translation>已跳过：文件夹 {path} 不是以数字（0-9）命名的</translation>
    </message>
    <message>
        <source>skipped {name}: damaged</source>
        <translation>已跳过 {name}：文件已损坏</translation>
    </message>
    <message>
        <source>skipped {name}: damaged ({error})</source>
        <translation>已跳过 {name}：文件已损坏（{error}）</translation>
    </message>
    <message>
        <source>skipped {name}: not &lt;digit&gt;/&lt;image&gt; in the zip</source>
        <translation>已跳过 {name}：在 zip 中不是 &lt;数字&gt;/&lt;图片&gt;</translation>
    </message>
    <message>
        <source>skipped {name}: too large for a digit</source>
        <translation>已跳过 {name}：作为一个数字太大了</translation>
    </message>
    <message>
        <source>skipped {name}: unusable file name</source>
        <translation>已跳过 {name}：文件名不可用</translation>
    </message>
    <message>
        <source>skipped {path}: no digit in it (blank)</source>
        <translation>已跳过 {path}：其中没有数字（空白）</translation>
    </message>
    <message>
        <source>skipped {path}: not an image</source>
        <translation>已跳过 {path}：不是图片</translation>
    </message>
    <message>
        <source>skipped {path}: not in a digit folder</source>
        <translation>已跳过 {path}：不在数字文件夹中</translation>
    </message>
    <message>
        <source>skipped {path}: {error}</source>
        <translation>已跳过 {path}：{error}</translation>
    </message>
    <message>
        <source>skipped: {error}</source>
        <translation>已跳过：{error}</translation>
    </message>
    <message>
        <source>small</source>
        <translation>小</translation>
    </message>
    <message>
        <source>stroke file not found: {path}</source>
        <translation>找不到笔画文件：{path}</translation>
    </message>
    <message>
        <source>strokes is not a list</source>
        <translation>strokes 不是列表</translation>
    </message>
    <message>
        <source>the download did not complete</source>
        <translation>下载未完成</translation>
    </message>
    <message>
        <source>the download server could not be reached; is this computer online?</source>
        <translation>无法连接下载服务器；这台计算机联网了吗？</translation>
    </message>
    <message>
        <source>the downloaded file was damaged</source>
        <translation>下载的文件已损坏</translation>
    </message>
    <message>
        <source>the file could not be written ({error})</source>
        <translation>无法写入文件（{error}）</translation>
    </message>
    <message>
        <source>the file is corrupt (checksum mismatch)</source>
        <translation>文件已损坏（校验和不符）</translation>
    </message>
    <message>
        <source>the file is corrupt or in another format</source>
        <translation>文件已损坏或是其他格式</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <source>the file is truncated or corrupt</source>
        <translation>文件不完整或已损坏</translation>
    </message>
    <message>
        <source>the loss became {value} in epoch {epoch}, {span}: the learning rate ({lr:g}) is probably too high; try {lower:g} or lower. Nothing was saved.</source>
        <translation>第 {epoch} 轮、{span}的损失变成了 {value}：学习率（{lr:g}）可能太高了；试试 {lower:g} 或更低。未保存任何内容。</translation>
    </message>
    <message>
        <source>the models are cnns of different sizes</source>
        <translation>这些模型是大小不同的 cnn</translation>
    </message>
    <message>
        <source>the server answered {code} {reason}</source>
        <translation>服务器返回了 {code} {reason}</translation>
    </message>
    <message>
        <source>the weights are corrupt (checksum mismatch)</source>
        <translation>权重已损坏（校验和不符）</translation>
    </message>
    <message>
        <source>timed just now</source>
        <translation>刚刚计时</translation>
    </message>
    <message>
        <source>timed on an earlier run</source>
        <translation>在之前的训练中计时</translation>
    </message>
    <message>
        <source>training eagerly: SGD&apos;s momentum follows the one-cycle schedule, which a captured CUDA graph cannot change between steps</source>
        <translation>逐步执行训练：SGD 的动量随 one-cycle 计划变化，而捕获的 CUDA 图无法在步与步之间改变它</translation>
    </message>
    <message>
        <source>training eagerly: capturing the step in a CUDA graph failed ({error})</source>
        <translation>逐步执行训练：无法把训练步捕获为 CUDA 图（{error}）</translation>
    </message>
    <message>
        <source>tune must be one of {choices}</source>
        <translation>tune 必须是 {choices} 之一</translation>
    </message>
    <message>
        <source>unknown network {name!r} (known: {known})</source>
        <translation>未知网络 {name!r}（已知：{known}）</translation>
    </message>
    <message>
        <source>unknown network {network!r}</source>
        <translation>未知网络 {network!r}</translation>
    </message>
    <message>
        <source>{base} + {count} samples of the user&apos;s handwriting</source>
        <translation>{base} + 用户手写的 {count} 个样本</translation>
    </message>
    <message>
        <source>{folder}: {split} images and labels do not match ({images:,} images, {labels:,} labels)</source>
        <translation>{folder}：{split} 的图像和标签数量不一致（{images:,} 张图像，{labels:,} 个标签）</translation>
    </message>
    <message>
        <source>{key} must be an integer in 1..{limit}, not {value!r}</source>
        <translation>{key} 必须是 1..{limit} 之间的整数，而不是 {value!r}</translation>
    </message>
    <message>
        <source>{model} was fine-tuned on your samples ({count:,} when it was made), so this is not a test of it.</source>
        <translation>{model} 是用你的样本微调的（当时有 {count:,} 个），所以这不是对它的测试。</translation>
    </message>
    <message>
        <source>{model} was fine-tuned on your samples ({count:,} when it was made), so this is not a test of it. Cross-validated then: {accuracy:.0%}.</source>
        <translation>{model} 是用你的样本微调的（当时有 {count:,} 个），所以这不是对它的测试。当时的交叉验证结果：{accuracy:.0%}。</translation>
    </message>
    <message>
        <source>{model} was trained on your samples too, so this is not a test of it.</source>
        <translation>{model} 的训练数据也包含你的样本，所以这不是对它的测试。</translation>
    </message>
    <message>
        <source>{name} is no longer in the trash.</source>
        <translation>{name} 已不在回收站中。</translation>
    </message>
    <message>
        <source>{name} is not a registered network</source>
        <translation>{name} 不是已注册的网络</translation>
    </message>
    <message>
        <source>{name}: {count} labels for images of shape {shape}</source>
        <translation>{name}：{count} 个标签对应形状为 {shape} 的图像</translation>
    </message>
    <message>
        <source>{name}: {strokes} stroke sets for {count} images</source>
        <translation>{name}：{strokes} 组笔画对应 {count} 张图像</translation>
    </message>
    <message>
        <source>{path} holds no images</source>
        <translation>{path} 中没有图像</translation>
    </message>
    <message>
        <source>{path} holds no samples (expected &lt;digit&gt;/&lt;id&gt;.png entries)</source>
        <translation>{path} 中没有样本（应为 &lt;数字&gt;/&lt;id&gt;.png 条目）</translation>
    </message>
    <message>
        <source>{path} holds the label {label}; digits are 0..9</source>
        <translation>{path} 中有标签 {label}；数字只有 0..9</translation>
    </message>
    <message>
        <source>{path} holds {size} images, not 28x28</source>
        <translation>{path} 中是 {size} 的图像，而不是 28x28</translation>
    </message>
    <message>
        <source>{path} is a folder, not an image</source>
        <translation>{path} 是文件夹，不是图片</translation>
    </message>
    <message>
        <source>{path} is a {network}, not a cnn</source>
        <translation>{path} 是 {network}，不是 cnn</translation>
    </message>
    <message>
        <source>{path} is not a usable digitpad model: {why}</source>
        <translation>{path} 不是可用的 digitpad 模型：{why}</translation>
    </message>
    <message>
        <source>{path} is not a zip file: {error}</source>
        <translation>{path} 不是 zip 文件：{error}</translation>
    </message>
    <message>
        <source>{path} is not an MNIST {kind} file: magic number {magic}, expected {expected}</source>
        <translation>{path} 不是 MNIST {kind}文件：魔数为 {magic}，应为 {expected}</translation>
    </message>
    <message>
        <source>{path} is not an MNIST {kind} file: {size} bytes, too short</source>
        <translation>{path} 不是 MNIST {kind}文件：只有 {size} 字节，太短</translation>
    </message>
    <message>
        <source>{path} is too large to read ({size} {format}); save it as PNG or JPEG, or scale it down</source>
        <translation>{path} 太大，无法读取（{size} {format}）；请另存为 PNG 或 JPEG，或者缩小它</translation>
    </message>
    <message>
        <source>{path} is truncated or padded: {size:,} bytes, its header {shape} needs {expected:,}</source>
        <translation>{path} 不完整或有多余数据：{size:,} 字节，而文件头 {shape} 需要 {expected:,} 字节</translation>
    </message>
    <message>
        <source>| digit | accuracy |</source>
        <translation>| 数字 | 准确率 |</translation>
    </message>
    <message>
        <source>| drawing size | accuracy |</source>
        <translation>| 书写大小 | 准确率 |</translation>
    </message>
    <message>
        <source>| {digit} | {accuracy:.2%} |</source>
        <translation>| {digit} | {accuracy:.2%} |</translation>
    </message>
    <message>
        <source>| {size} | {accuracy:.2%} |</source>
        <translation>| {size} | {accuracy:.2%} |</translation>
    </message>
    <message>
        <source>Reading your samples</source>
        <translation>正在读取你的样本</translation>
    </message>
    <message>
        <source>Rendering real pen digits</source>
        <translation>正在渲染真实笔迹数字</translation>
    </message>
    <message>
        <source>Rendered real pen digits</source>
        <translation>已渲染真实笔迹数字</translation>
    </message>
</context>
<context>
    <name>CorrectionBar</name>
    <message>
        <source>Wrong? Type the right digit. Right? Press Enter.</source>
        <translation>识别错了？输入正确的数字。识别对了？按 Enter。</translation>
    </message>
    <message>
        <source>Saved as {digit}</source>
        <translation>已保存为 {digit}</translation>
    </message>
    <message>
        <source>Saved as {digit} (read as {predicted})</source>
        <translation>已保存为 {digit}（识别为 {predicted}）</translation>
    </message>
    <message>
        <source>{samples} of yours</source>
        <translation>你的 {samples}</translation>
    </message>
    <message>
        <source>It&apos;s a {digit}</source>
        <translation>这是 {digit}</translation>
    </message>
    <message>
        <source>It&apos;s a {digit}: save this drawing as a {digit} (key {digit})</source>
        <translation>这是 {digit}：把这个手写保存为 {digit}（按键 {digit}）</translation>
    </message>
    <message>
        <source>Sample saved</source>
        <translation>样本已保存</translation>
    </message>
    <message>
        <source>Draw a digit first, then press its key.</source>
        <translation>请先写一个数字，再按对应的数字键。</translation>
    </message>
    <message>
        <source>Could not save the sample</source>
        <translation>无法保存样本</translation>
    </message>
    <message>
        <source>Could not save the sample in {folder}: {error}</source>
        <translation>无法把样本保存到 {folder}：{error}</translation>
    </message>
    <message>
        <source>No prediction to confirm yet.</source>
        <translation>还没有可以确认的识别结果。</translation>
    </message>
</context>
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%Ln sample(s)</source>
        <translation>
            <numerusform>%Ln 个样本</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s)</source>
        <translation>
            <numerusform>%Ln 个文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation>
            <numerusform>%Ln 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln epoch(s)</source>
        <translation>
            <numerusform>%Ln 轮</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln batch(es)</source>
        <translation>
            <numerusform>%Ln 批</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DigitList</name>
    <message>
        <source>Digits</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>The samples of the digit {digit}; drop samples here to relabel them</source>
        <translation>数字 {digit} 的样本；把样本拖到这里可以重新标注</translation>
    </message>
</context>
<context>
    <name>DrawTab</name>
    <message>
        <source>Draw a digit</source>
        <translation>写一个数字</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>A dot, not a digit: draw it larger</source>
        <translation>这是一个点，不是数字：请写大一些</translation>
    </message>
    <message>
        <source>A straight line, not a digit</source>
        <translation>这是一条直线，不是数字</translation>
    </message>
    <message>
        <source>A scribble, not a digit</source>
        <translation>这是涂鸦，不是数字</translation>
    </message>
    <message>
        <source>Too much ink for a digit</source>
        <translation>笔迹太多，不像一个数字</translation>
    </message>
    <message>
        <source>&amp;Undo stroke</source>
        <translation>撤销笔画(&amp;U)</translation>
    </message>
    <message>
        <source>Take back the last stroke or Clear</source>
        <translation>撤销上一笔或上一次清除</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Do again what Undo took back</source>
        <translation>恢复被撤销的操作</translation>
    </message>
    <message>
        <source>&amp;Clear canvas</source>
        <translation>清除画布(&amp;C)</translation>
    </message>
    <message>
        <source>Erase the drawing</source>
        <translation>擦除画布上的内容</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>撤销笔画</translation>
    </message>
    <message>
        <source>Undo the last stroke (Ctrl+Z)</source>
        <translation>撤销上一笔（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Clear canvas</source>
        <translation>清除画布</translation>
    </message>
    <message>
        <source>Erase the drawing (Delete or Esc)</source>
        <translation>擦除画布上的内容（Delete 或 Esc）</translation>
    </message>
    <message>
        <source>Pen width</source>
        <translation>笔宽</translation>
    </message>
    <message>
        <source>Width of new strokes on screen; the network reads every drawing with a pen matched to the digit&apos;s size</source>
        <translation>新笔画在屏幕上的宽度；网络识别时总是使用与数字大小相匹配的笔宽</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>笔宽</translation>
    </message>
    <message>
        <source>Show preprocessing</source>
        <translation>显示预处理</translation>
    </message>
    <message>
        <source>Show each step from your drawing to the network&apos;s input</source>
        <translation>显示从你的手写到网络输入的每一步</translation>
    </message>
    <message>
        <source>Write a whole number</source>
        <translation>写多位数</translation>
    </message>
    <message>
        <source>Write a whole number: the canvas widens and every digit is read (Ctrl+C copies it)</source>
        <translation>写一个多位数：画布变宽，每个数字都会被识别（Ctrl+C 复制结果）</translation>
    </message>
    <message>
        <source>Predicted digit</source>
        <translation>识别出的数字</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Show evidence</source>
        <translation>显示依据</translation>
    </message>
    <message>
        <source>Colour the pixels that pushed the network towards its answer (green) and against it (red): integrated gradients from a blank canvas</source>
        <translation>为像素着色：绿色是推动网络得出该答案的像素，红色是与之相反的像素（以空白画布为基准的积分梯度）</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>识别结果</translation>
    </message>
    <message>
        <source>Probabilities</source>
        <translation>各数字的概率</translation>
    </message>
    <message>
        <source>What the network sees (28 x 28)</source>
        <translation>网络看到的图像（28 × 28）</translation>
    </message>
    <message>
        <source>Showing {source} (a {label}); draw to replace it</source>
        <translation>正在显示 {source}（标注为 {label}）；在画布上书写即可替换</translation>
    </message>
    <message>
        <source>towards {digit}</source>
        <translation>支持 {digit}</translation>
    </message>
    <message>
        <source>against it</source>
        <translation>反对</translation>
    </message>
    <message>
        <source>{percent} sure</source>
        <translation>把握 {percent}</translation>
    </message>
    <message>
        <source>⚠ {sure} · low confidence</source>
        <translation>⚠ {sure} · 置信度低</translation>
    </message>
    <message>
        <source>{sure} · drawn like one of your samples</source>
        <translation>{sure} · 与你的一个样本写法相同</translation>
    </message>
    <message>
        <source>Write a number</source>
        <translation>写一个多位数</translation>
    </message>
    <message>
        <source>Already saved as {digit}</source>
        <translation>已保存为 {digit}</translation>
    </message>
</context>
<context>
    <name>EvaluateTab</name>
    <message>
        <source>MNIST test</source>
        <translation>MNIST 测试集</translation>
    </message>
    <message>
        <source>Real pen digits (UNIPEN)</source>
        <translation>真实笔迹数字（UNIPEN）</translation>
    </message>
    <message>
        <source>Your handwriting</source>
        <translation>你的手写</translation>
    </message>
    <message>
        <source>No samples yet: draw a digit on the Draw tab and press its key (0-9) to save it, or import a zip on the My handwriting tab.</source>
        <translation>还没有样本：在“绘图”页写一个数字并按对应的数字键（0-9）保存，或在“我的手写”页导入 zip。</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Model to evaluate</source>
        <translation>要评估的模型</translation>
    </message>
    <message>
        <source>Model to compare with</source>
        <translation>用来比较的模型</translation>
    </message>
    <message>
        <source>Run a second model on the same images: see which images one reads right and the other wrong (e.g. mlp against cnn, or before and after personalising).</source>
        <translation>用同一批图像运行第二个模型：看看哪些图像一个识别正确、另一个识别错误（例如 mlp 对比 cnn，或个性化前后对比）。</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>Choose the folder that holds this data set</source>
        <translation>选择存放此数据集的文件夹</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Save the confusion matrix and the per-class figures as CSV</source>
        <translation>将混淆矩阵和各类别数据保存为 CSV</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Save the heatmap as a picture</source>
        <translation>将热图保存为图片</translation>
    </message>
    <message>
        <source>digit</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>images</source>
        <translation>图像数</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>true</source>
        <translation>真实</translation>
    </message>
    <message>
        <source>read as</source>
        <translation>识别为</translation>
    </message>
    <message>
        <source>share of true</source>
        <translation>占真实类别比例</translation>
    </message>
    <message>
        <source>Click a row to see its images</source>
        <translation>点击一行查看对应的图像</translation>
    </message>
    <message>
        <source>Choose a model to compare with, then Evaluate.</source>
        <translation>选择一个用来比较的模型，然后点击“评估”。</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Per class</source>
        <translation>各类别</translation>
    </message>
    <message>
        <source>Most confused</source>
        <translation>最常混淆</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>Compare &amp;with:</source>
        <translation>比较对象(&amp;W)：</translation>
    </message>
    <message>
        <source>D&amp;ata:</source>
        <translation>数据(&amp;A)：</translation>
    </message>
    <message>
        <source>{name} (shipped)</source>
        <translation>{name}（内置）</translation>
    </message>
    <message>
        <source>Active model ({name})</source>
        <translation>当前模型（{name}）</translation>
    </message>
    <message>
        <source>Active model</source>
        <translation>当前模型</translation>
    </message>
    <message>
        <source>— none —</source>
        <translation>— 无 —</translation>
    </message>
    <message>
        <source>Other file…</source>
        <translation>其他文件…</translation>
    </message>
    <message>
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <source>digitpad models (*.pt);;All files (*)</source>
        <translation>digitpad 模型 (*.pt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The samples you saved, in {folder}</source>
        <translation>你保存的样本，位于 {folder}</translation>
    </message>
    <message>
        <source>{label} (no samples yet)</source>
        <translation>{label}（还没有样本）</translation>
    </message>
    <message>
        <source>no folder chosen</source>
        <translation>未选择文件夹</translation>
    </message>
    <message>
        <source>MNIST&apos;s test set as shipped with digitpad: the Train tab&apos;s data folder holds no MNIST yet</source>
        <translation>digitpad 自带的 MNIST 测试集：“训练”页的数据文件夹里还没有 MNIST</translation>
    </message>
    <message>
        <source>{folder}: the Train tab&apos;s data folder</source>
        <translation>{folder}：“训练”页的数据文件夹</translation>
    </message>
    <message>
        <source>Your samples are the ones in the My handwriting tab&apos;s folder</source>
        <translation>你的样本就是“我的手写”页文件夹中的样本</translation>
    </message>
    <message>
        <source>Folder holding {what}</source>
        <translation>包含 {what} 的文件夹</translation>
    </message>
    <message>
        <source>No model is loaded yet.</source>
        <translation>还没有加载模型。</translation>
    </message>
    <message>
        <source>Choose the folder holding the real pen digits (unipen_1a_dev.json.gz) with Folder…, or set DIGITPAD_PEN_DATA.</source>
        <translation>请用“文件夹…”选择存放真实笔迹数字（unipen_1a_dev.json.gz）的文件夹，或设置 DIGITPAD_PEN_DATA。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Evaluating {model}: {done}/{total}</source>
        <translation>正在评估 {model}：{done}/{total}</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled: the previous results stay</source>
        <translation>已取消：保留之前的结果</translation>
    </message>
    <message>
        <source>Done: {images} in {seconds} s</source>
        <translation>完成：{images}，用时 {seconds} 秒</translation>
    </message>
    <message>
        <source>{right} right, {wrong} wrong: {images}</source>
        <translation>{right} 正确、{wrong} 错误：{images}</translation>
    </message>
    <message>
        <source>{files} skipped (hover for why)</source>
        <translation>跳过了 {files}（悬停查看原因）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{model}&lt;/b&gt; on {data}: {accuracy} right, {wrong} of {size} misread</source>
        <translation>&lt;b&gt;{model}&lt;/b&gt; 在 {data} 上：正确率 {accuracy}，{size} 张中识别错 {wrong} 张</translation>
    </message>
    <message>
        <source>accuracy (recall): the share of this digit&apos;s images read right
precision: the share of the images read as this digit that really are one</source>
        <translation>准确率（召回率）：该数字的图像中被识别正确的比例
精确率：被识别为该数字的图像中确实是该数字的比例</translation>
    </message>
    <message>
        <source>Both read {agree} of {size} images right; {neither} defeat both.</source>
        <translation>{size} 张图像中两者都识别正确的有 {agree} 张；两者都识别错的有 {neither} 张。</translation>
    </message>
    <message>
        <source>{model}: true {true} → predicted {predicted}</source>
        <translation>{model}：真实 {true} → 识别为 {predicted}</translation>
    </message>
    <message>
        <source>{right} right, {wrong} wrong</source>
        <translation>{right} 正确、{wrong} 错误</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Could not write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
</context>
<context>
    <name>FollowTraining</name>
    <message>
        <source>live: epoch {epoch}/{epochs}, batch {batch}</source>
        <translation>实时：第 {epoch}/{epochs} 轮，第 {batch} 批</translation>
    </message>
    <message>
        <source>Follow training</source>
        <translation>跟随训练</translation>
    </message>
    <message>
        <source>Predict with the weights of the run in progress, refreshed every few hundred batches and at each epoch&apos;s end. When the run ends, the active model is back.</source>
        <translation>用正在训练的网络权重进行识别，每隔几百批以及每轮结束时刷新。训练结束后恢复为当前模型。</translation>
    </message>
    <message>
        <source>Live training status</source>
        <translation>实时训练状态</translation>
    </message>
    <message>
        <source>live: waiting for the first weights…</source>
        <translation>实时：等待第一份权重…</translation>
    </message>
</context>
<context>
    <name>Gallery</name>
    <message>
        <source>Click a cell of the matrix to see its images.</source>
        <translation>点击矩阵中的一个格子查看对应的图像。</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>The image as the network receives it (28 x 28)</source>
        <translation>网络接收到的图像（28 × 28）</translation>
    </message>
    <message>
        <source>Send to Draw tab</source>
        <translation>发送到“绘图”页</translation>
    </message>
    <message>
        <source>Show this image&apos;s preprocessing and prediction on the Draw tab</source>
        <translation>在“绘图”页显示这张图像的预处理和识别结果</translation>
    </message>
    <message>
        <source>no images</source>
        <translation>没有图像</translation>
    </message>
    <message>
        <source>true digit: {digit}</source>
        <translation>真实数字：{digit}</translation>
    </message>
    <message>
        <source>MNIST test #{index}</source>
        <translation>MNIST 测试集 #{index}</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>neural networks</source>
        <translation>神经网络</translation>
    </message>
    <message>
        <source>MNIST reader</source>
        <translation>读取 MNIST</translation>
    </message>
    <message>
        <source>Qt for Python, the window</source>
        <translation>Qt for Python，窗口界面</translation>
    </message>
    <message>
        <source>training chart</source>
        <translation>训练图表</translation>
    </message>
    <message>
        <source>arrays</source>
        <translation>数组运算</translation>
    </message>
    <message>
        <source>images</source>
        <translation>图像数</translation>
    </message>
    <message>
        <source>user folders</source>
        <translation>用户文件夹</translation>
    </message>
    <message>
        <source>command-line progress</source>
        <translation>命令行进度条</translation>
    </message>
    <message>
        <source>**MNIST** (training and test digits): Yann LeCun, Corinna Cortes, Christopher J.C. Burges; CC BY-SA 3.0.</source>
        <translation>**MNIST**（训练和测试用的数字）：Yann LeCun、Corinna Cortes、Christopher J.C. Burges；CC BY-SA 3.0。</translation>
    </message>
    <message>
        <source>**UNIPEN** real pen digits (tests and benchmarks): The International Unipen Foundation, train_r01_v07; CC BY 4.0.</source>
        <translation>**UNIPEN** 真实笔迹数字（用于测试和基准测试）：The International Unipen Foundation，train_r01_v07；CC BY 4.0。</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <source>action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Alt + the underlined letter opens a menu, a tab or a field.</source>
        <translation>Alt + 括号中带下划线的字母可打开对应的菜单、标签页或输入框。</translation>
    </message>
    <message>
        <source>Undo and Clear act on the Draw tab&apos;s canvas while it is shown.</source>
        <translation>显示“绘图”页时，“撤销”和“清除”作用于它的画布。</translation>
    </message>
    <message>
        <source>Draw a digit, watch a neural network read it, retrain it live. MIT licence.</source>
        <translation>写一个数字，看神经网络如何识别它，并实时重新训练。MIT 许可证。</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Libraries</source>
        <translation>依赖库</translation>
    </message>
    <message>
        <source>library</source>
        <translation>库</translation>
    </message>
    <message>
        <source>version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>used for</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>licence</source>
        <translation>许可证</translation>
    </message>
</context>
<context>
    <name>InputPreview</name>
    <message>
        <source>Network input, 28 by 28 pixels</source>
        <translation>网络输入，28 × 28 像素</translation>
    </message>
    <message>
        <source>What the network sees: your drawing cropped, scaled to 20 px and centred</source>
        <translation>网络看到的图像：你的手写经过裁剪、缩放到 20 像素并居中</translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <source>Real pen</source>
        <translation>真实笔迹</translation>
    </message>
    <message>
        <source>Your handwriting</source>
        <translation>你的手写</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Training time</source>
        <translation>训练用时</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Recipe</source>
        <translation>训练方案</translation>
    </message>
    <message>
        <source>{minutes}:{seconds} min</source>
        <translation>{minutes}:{seconds} 分钟</translation>
    </message>
    <message>
        <source>Model library</source>
        <translation>模型库</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>&amp;Activate</source>
        <translation>启用(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>重命名(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Undo delete</source>
        <translation>撤销删除(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Show in folder</source>
        <translation>在文件夹中显示(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>比较(&amp;C)</translation>
    </message>
    <message>
        <source>Use the selected model to read drawings (Enter)</source>
        <translation>用选中的模型识别手写（Enter）</translation>
    </message>
    <message>
        <source>Give the model a name of your own (F2)</source>
        <translation>给模型起一个自己的名字（F2）</translation>
    </message>
    <message>
        <source>Move the model to the trash (Delete); Undo brings it back</source>
        <translation>将模型移到回收站（Delete）；“撤销删除”可恢复</translation>
    </message>
    <message>
        <source>Compare two selected models digit by digit</source>
        <translation>逐个数字比较选中的两个模型</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>{name} (shipped)</source>
        <translation>{name}（内置）</translation>
    </message>
    <message>
        <source> — active</source>
        <translation>（当前）</translation>
    </message>
    <message>
        <source>Renamed {old} to {new}.</source>
        <translation>已将 {old} 重命名为 {new}。</translation>
    </message>
    <message>
        <source>The active model cannot be deleted: activate another one first.</source>
        <translation>不能删除正在使用的模型：请先启用另一个模型。</translation>
    </message>
    <message>
        <source>Could not delete {name}: {error}</source>
        <translation>无法删除 {name}：{error}</translation>
    </message>
    <message>
        <source>Moved {names} to the trash. Undo (Ctrl+Z) brings it back.</source>
        <translation>已将 {names} 移到回收站。撤销（Ctrl+Z）可恢复。</translation>
    </message>
    <message>
        <source>Restored {names}.</source>
        <translation>已恢复 {names}。</translation>
    </message>
</context>
<context>
    <name>LossChart</name>
    <message>
        <source>Training loss per batch and test accuracy per epoch</source>
        <translation>每批的训练损失和每轮的测试准确率</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>test accuracy (%)</source>
        <translation>测试准确率（%）</translation>
    </message>
    <message>
        <source>batch loss</source>
        <translation>批次损失</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>test accuracy</source>
        <translation>测试准确率</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>digitpad models (*.pt);;All files (*)</source>
        <translation>digitpad 模型 (*.pt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>&amp;Draw</source>
        <translation>绘图(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>E&amp;valuate</source>
        <translation>评估(&amp;V)</translation>
    </message>
    <message>
        <source>M&amp;y handwriting</source>
        <translation>我的手写(&amp;Y)</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Training {network}: paused at {position}</source>
        <translation>正在训练 {network}：暂停于{position}</translation>
    </message>
    <message>
        <source>epoch {epoch}/{epochs}</source>
        <translation>第 {epoch}/{epochs} 轮</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save model as…</source>
        <translation>模型另存为(&amp;S)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Model &amp;library…</source>
        <translation>模型库(&amp;L)…</translation>
    </message>
    <message>
        <source>Every model: activate, rename, delete, compare</source>
        <translation>所有模型：启用、重命名、删除、比较</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Revert to previous model</source>
        <translation>恢复上一个模型(&amp;R)</translation>
    </message>
    <message>
        <source>Make the model that was active before this one active again</source>
        <translation>重新启用在此之前使用的模型</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About the active &amp;model</source>
        <translation>关于当前模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About digitpad</source>
        <translation>关于 digitpad(&amp;A)</translation>
    </message>
    <message>
        <source>Lang&amp;uage</source>
        <translation>语言(&amp;U)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>digitpad shows the new language when it starts again.</source>
        <translation>digitpad 将在下次启动时使用新的语言。</translation>
    </message>
    <message>
        <source>Restart now? What you drew is not kept; the settings are.</source>
        <translation>现在重新启动吗？画布上的内容不会保留，设置会保留。</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>digitpad could not start its core</source>
        <translation>digitpad 无法启动核心组件</translation>
    </message>
    <message>
        <source>No model: train one in the Train tab</source>
        <translation>没有模型：请在“训练”页训练一个</translation>
    </message>
    <message>
        <source>No model yet: train one in the Train tab</source>
        <translation>还没有模型：请在“训练”页训练一个</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>digitpad started with its defaults and the shipped model instead of what it remembered:</source>
        <translation>digitpad 未能恢复上次记住的内容，已使用默认设置和内置模型启动：</translation>
    </message>
    <message>
        <source>digitpad started with its defaults instead of what it remembered:</source>
        <translation>digitpad 未能恢复上次记住的内容，已使用默认设置启动：</translation>
    </message>
    <message>
        <source>Could not restore the last session</source>
        <translation>无法恢复上次的会话</translation>
    </message>
    <message>
        <source>{name} (shipped)</source>
        <translation>{name}（内置）</translation>
    </message>
    <message>
        <source>{accuracy} test accuracy</source>
        <translation>测试准确率 {accuracy}</translation>
    </message>
    <message>
        <source>Model: {name}</source>
        <translation>模型：{name}</translation>
    </message>
    <message>
        <source>&amp;Revert to previous model ({name})</source>
        <translation>恢复上一个模型（{name}）(&amp;R)</translation>
    </message>
    <message>
        <source>Could not revert to the previous model</source>
        <translation>无法恢复上一个模型</translation>
    </message>
    <message>
        <source>Reverted to {name}</source>
        <translation>已恢复为 {name}</translation>
    </message>
    <message>
        <source>Could not open the trained model</source>
        <translation>无法打开训练好的模型</translation>
    </message>
    <message>
        <source>Training finished: {message}</source>
        <translation>训练完成：{message}</translation>
    </message>
    <message>
        <source>The new model ({accuracy}) is now the active model.</source>
        <translation>新模型（{accuracy}）现在是当前模型。</translation>
    </message>
    <message>
        <source>The new model was not activated</source>
        <translation>新模型没有被启用</translation>
    </message>
    <message>
        <source>The new model reached {new}, {gap} points below the active model&apos;s {active}. It was kept in the library; the active model stays.</source>
        <translation>新模型的准确率为 {new}，比当前模型的 {active} 低 {gap} 个百分点。它已保留在模型库中；当前模型不变。</translation>
    </message>
    <message>
        <source>Open File → Model library to compare them, or activate it now.</source>
        <translation>打开“文件 → 模型库”比较它们，或者现在就启用它。</translation>
    </message>
    <message>
        <source>Keep the current model</source>
        <translation>保留当前模型</translation>
    </message>
    <message>
        <source>Activate it anyway</source>
        <translation>仍然启用</translation>
    </message>
    <message>
        <source>Personalized: {name} is now the active model.</source>
        <translation>个性化完成：{name} 现在是当前模型。</translation>
    </message>
    <message>
        <source>Edit → Revert brings back {name}.</source>
        <translation>“编辑 → 恢复上一个模型”可换回 {name}。</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Save model as</source>
        <translation>模型另存为</translation>
    </message>
    <message>
        <source>Could not save the model</source>
        <translation>无法保存模型</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Active model</source>
        <translation>当前模型</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>About digitpad</source>
        <translation>关于 digitpad</translation>
    </message>
    <message>
        <source>Quit digitpad?</source>
        <translation>退出 digitpad？</translation>
    </message>
    <message>
        <source>Training is running ({position}). Stop and quit?</source>
        <translation>正在训练（{position}）。停止并退出吗？</translation>
    </message>
    <message>
        <source>The run is lost; the active model stays as it is.</source>
        <translation>本次训练将丢失；当前模型保持不变。</translation>
    </message>
    <message>
        <source>Stop and quit</source>
        <translation>停止并退出</translation>
    </message>
    <message>
        <source>Keep training</source>
        <translation>继续训练</translation>
    </message>
</context>
<context>
    <name>NumberLabel</name>
    <message>
        <source>Number read</source>
        <translation>识别出的数</translation>
    </message>
    <message>
        <source>, low confidence</source>
        <translation>，置信度低</translation>
    </message>
    <message>
        <source>picked</source>
        <translation>已选</translation>
    </message>
</context>
<context>
    <name>NumberView</name>
    <message>
        <source>Write a number: several digits side by side, then click a digit to correct it.</source>
        <translation>写一个多位数：几个数字并排书写，然后点击某个数字可以纠正它。</translation>
    </message>
    <message>
        <source>Click a digit to correct it (it is saved as a sample of yours) · Ctrl+C copies</source>
        <translation>点击数字可以纠正它（会保存为你的样本）· Ctrl+C 复制</translation>
    </message>
    <message>
        <source>&amp;Other digit</source>
        <translation>其他数字(&amp;O)</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>数</translation>
    </message>
    <message>
        <source>Click a digit (or Enter on it) for its likeliest readings, or type the right digit</source>
        <translation>点击数字（或在数字上按 Enter）查看最可能的几种读法，或直接输入正确的数字</translation>
    </message>
    <message>
        <source>&amp;Copy number</source>
        <translation>复制数字(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the number read from the canvas</source>
        <translation>复制从画布上识别出的数</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the number (Ctrl+C)</source>
        <translation>复制这个数（Ctrl+C）</translation>
    </message>
    <message>
        <source>Copied {number}</source>
        <translation>已复制 {number}</translation>
    </message>
</context>
<context>
    <name>Numbers</name>
    <message>
        <source>{value} %</source>
        <translation>{value}%</translation>
    </message>
</context>
<context>
    <name>ProbabilityChart</name>
    <message>
        <source>No prediction</source>
        <translation>没有识别结果</translation>
    </message>
</context>
<context>
    <name>SamplesModel</name>
    <message>
        <source>sample of the digit {digit}</source>
        <translation>数字 {digit} 的样本</translation>
    </message>
    <message>
        <source>Cannot read this picture: {error}</source>
        <translation>无法读取这张图片：{error}</translation>
    </message>
    <message>
        <source>Read as {digit} ({confidence}) by {model}</source>
        <translation>被 {model} 识别为 {digit}（{confidence}）</translation>
    </message>
    <message>
        <source>Saved {time} UTC</source>
        <translation>保存于 {time} UTC</translation>
    </message>
</context>
<context>
    <name>SamplesTab</name>
    <message>
        <source>Zip archives (*.zip);;All files (*)</source>
        <translation>Zip 压缩包 (*.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Delete {samples}</source>
        <translation>删除 {samples}</translation>
    </message>
    <message>
        <source>Relabel {samples} as {digit}</source>
        <translation>将 {samples} 重新标注为 {digit}</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Relabel as</source>
        <translation>重新标注为(&amp;R)</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add the samples of a zip exported by digitpad</source>
        <translation>添加由 digitpad 导出的 zip 中的样本</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save all your samples in one zip</source>
        <translation>把你的所有样本保存到一个 zip 中</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>One folder per digit: add or remove pictures as you like</source>
        <translation>每个数字一个文件夹：可以随意添加或删除图片</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Move the selected samples to the trash (Edit → Undo)</source>
        <translation>将选中的样本移到回收站（编辑 → 撤销）</translation>
    </message>
    <message>
        <source>Relabel as</source>
        <translation>重新标注为</translation>
    </message>
    <message>
        <source>Personalize</source>
        <translation>个性化</translation>
    </message>
    <message>
        <source>Fine-tune the active model on your samples and show the gain, measured on samples it did not train on</source>
        <translation>用你的样本微调当前模型，并显示在未参与训练的样本上测得的提升</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop; nothing is saved and the current model stays</source>
        <translation>停止；不保存任何内容，当前模型保持不变</translation>
    </message>
    <message>
        <source>Use it anyway</source>
        <translation>仍然使用</translation>
    </message>
    <message>
        <source>{samples} of your handwriting</source>
        <translation>你的手写：{samples}</translation>
    </message>
    <message>
        <source>No samples yet: on the Draw tab, draw a digit and press its key (or Enter if digitpad read it right).</source>
        <translation>还没有样本：在“绘图”页写一个数字，再按对应的数字键（识别正确时按 Enter）。</translation>
    </message>
    <message>
        <source>{files} skipped</source>
        <translation>跳过了 {files}</translation>
    </message>
    <message>
        <source>Could not import the samples</source>
        <translation>无法导入样本</translation>
    </message>
    <message>
        <source>Imported {samples}</source>
        <translation>已导入 {samples}</translation>
    </message>
    <message>
        <source>{count} already here</source>
        <translation>{count} 个已存在</translation>
    </message>
    <message>
        <source>{parts}.</source>
        <translation>{parts}。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Could not export the samples</source>
        <translation>无法导出样本</translation>
    </message>
    <message>
        <source>Exported {samples} to {path}.</source>
        <translation>已将 {samples} 导出到 {path}。</translation>
    </message>
    <message>
        <source>No samples yet</source>
        <translation>还没有样本</translation>
    </message>
    <message>
        <source>Save a few digits on the Draw tab first (keys 0-9).</source>
        <translation>请先在“绘图”页保存几个数字（按键 0-9）。</translation>
    </message>
    <message>
        <source>Loading your samples and MNIST…</source>
        <translation>正在加载你的样本和 MNIST…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>{folds}-fold check + final model</source>
        <translation>{folds} 折验证 + 最终模型</translation>
    </message>
    <message>
        <source>final model</source>
        <translation>最终模型</translation>
    </message>
    <message>
        <source>{stage} · %p % · about {eta} s left</source>
        <translation>{stage} · %p% · 大约还剩 {eta} 秒</translation>
    </message>
    <message>
        <source>fold {n} of {folds}</source>
        <translation>第 {n}/{folds} 折</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Stopped: nothing saved; the active model is unchanged.</source>
        <translation>已停止：未保存任何内容；当前模型不变。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Your handwriting: {before} → {after} · MNIST: {m_before} → {m_after}</source>
        <translation>你的手写：{before} → {after} · MNIST：{m_before} → {m_after}</translation>
    </message>
    <message>
        <source>Started again from {model}, the model yours was made from, with your {samples}. {summary}</source>
        <translation>已从 {model}（你的个性化模型由它而来）重新开始，使用你的 {samples}。{summary}</translation>
    </message>
    <message>
        <source>{summary}. The personalized model is now active: {drop} points less on MNIST is within the {allowed} allowed for learning your digits.</source>
        <translation>{summary}。个性化模型现已启用：在 MNIST 上低 {drop} 个百分点，在为学习你的笔迹所允许的 {allowed} 个百分点之内。</translation>
    </message>
    <message>
        <source>{summary}. The personalized model is now active.</source>
        <translation>{summary}。个性化模型现在是当前模型。</translation>
    </message>
    <message>
        <source>your samples</source>
        <translation>你的样本</translation>
    </message>
    <message>
        <source>it</source>
        <translation>它</translation>
    </message>
    <message>
        <source>{summary}. Worse on {worse}, so the active model stays; {name} is saved if you want it anyway.</source>
        <translation>{summary}。在{worse}上变差了，因此保留当前模型；如果仍想使用，{name} 已保存。</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Personalize failed: {message}</source>
        <translation>个性化失败：{message}</translation>
    </message>
    <message>
        <source>Undo {what}</source>
        <translation>撤销{what}</translation>
    </message>
    <message>
        <source>Redo {what}</source>
        <translation>重做{what}</translation>
    </message>
    <message>
        <source>Import samples</source>
        <translation>导入样本</translation>
    </message>
    <message>
        <source>Export samples</source>
        <translation>导出样本</translation>
    </message>
</context>
<context>
    <name>StepsStrip</name>
    <message>
        <source>ink found</source>
        <translation>笔迹</translation>
    </message>
    <message>
        <source>cropped</source>
        <translation>裁剪</translation>
    </message>
    <message>
        <source>scaled to 20 px</source>
        <translation>缩放 20px</translation>
    </message>
    <message>
        <source>centred in 28x28</source>
        <translation>居中 28×28</translation>
    </message>
    <message>
        <source>normalised</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>Preprocessing steps</source>
        <translation>预处理步骤</translation>
    </message>
    <message>
        <source>Your drawing on its way to the network: the ink found, cropped to its box, scaled so its longer side is 20 px, placed in 28x28 by its centre of mass (as MNIST was made), then normalised with the training set&apos;s mean and spread.</source>
        <translation>你的手写进入网络前的处理过程：找到笔迹，裁剪到它的边框，缩放使长边为 20 像素，按质心放入 28×28（与 MNIST 的制作方式相同），再用训练集的均值和标准差归一化。</translation>
    </message>
</context>
<context>
    <name>TrainTab</name>
    <message>
        <source>MNIST + real pen digits</source>
        <translation>MNIST + 真实笔迹数字</translation>
    </message>
    <message>
        <source>batch {size}</source>
        <translation>批大小 {size}</translation>
    </message>
    <message>
        <source>momentum {value}</source>
        <translation>动量 {value}</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <source>augmented</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>+ real pen digits</source>
        <translation>+ 真实笔迹数字</translation>
    </message>
    <message>
        <source>Recommended for {network}: {recipe}</source>
        <translation>{network} 的推荐设置：{recipe}</translation>
    </message>
    <message>
        <source>mlp: the PyTorch tutorial&apos;s 3-layer perceptron, fast.
cnn: a small convolutional net, slower but more accurate.</source>
        <translation>mlp：PyTorch 教程中的三层感知机，速度快。
cnn：小型卷积网络，较慢但更准确。</translation>
    </message>
    <message>
        <source>Use recommended settings</source>
        <translation>使用推荐设置</translation>
    </message>
    <message>
        <source>constant: the same learning rate throughout.
onecycle: warm up to the learning rate, then anneal to almost zero.</source>
        <translation>constant：全程使用相同的学习率。
onecycle：先逐步升到设定的学习率，再退火到接近零。</translation>
    </message>
    <message>
        <source>Au&amp;gment</source>
        <translation>数据增强(&amp;G)</translation>
    </message>
    <message>
        <source>Rotate, shear, rescale, shift, warp and thicken or thin every batch a little,
so the network reads digits drawn by hand, not only MNIST&apos;s. Slower per epoch.</source>
        <translation>对每批数据做少量旋转、错切、缩放、平移、扭曲以及笔画加粗或变细，
让网络能识别手写的数字，而不只是 MNIST 的数字。每轮会更慢。</translation>
    </message>
    <message>
        <source>The same seed and settings train the same network.</source>
        <translation>相同的种子和设置会训练出相同的网络。</translation>
    </message>
    <message>
        <source>auto: the faster device for this recipe. With a GPU, the first run of a
recipe times a few batches on each device and remembers the result.</source>
        <translation>auto：为此训练方案选择更快的设备。有 GPU 时，某个方案第一次训练时
会在每个设备上计时几批数据，并记住结果。</translation>
    </message>
    <message>
        <source>The device is chosen when a run starts</source>
        <translation>设备在训练开始时选定</translation>
    </message>
    <message>
        <source>The folder holding MNIST/raw/ (the four IDX files).</source>
        <translation>包含 MNIST/raw/（四个 IDX 文件）的文件夹。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>MNIST + real pen digits: also train on 3,776 digits drawn on tablets
(UNIPEN 1a, shipped with digitpad, CC BY 4.0), rendered like your drawings,
so the network learns crossed zeros, flagged ones and other pen styles.</source>
        <translation>MNIST + 真实笔迹数字：同时用 3,776 个在手写板上写的数字训练
（UNIPEN 1a，随 digitpad 提供，CC BY 4.0），按你的手写方式渲染，
让网络学会带斜线的 0、带钩的 1 等各种书写风格。</translation>
    </message>
    <message>
        <source>Download MNIST if missing</source>
        <translation>缺少时下载 MNIST</translation>
    </message>
    <message>
        <source>Add my handwriting</source>
        <translation>加入我的手写</translation>
    </message>
    <message>
        <source>Add the digits you saved on the Draw tab (My handwriting) to MNIST&apos;s training set</source>
        <translation>将你在“绘图”页保存的数字（我的手写）加入 MNIST 训练集</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the run; the current model stays active (you may keep the best epoch so far).</source>
        <translation>停止训练；当前模型保持不变（可保留目前最好的一轮）。</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Epoch results appear here.</source>
        <translation>每轮的结果会显示在这里。</translation>
    </message>
    <message>
        <source>&amp;Network:</source>
        <translation>网络(&amp;N)：</translation>
    </message>
    <message>
        <source>E&amp;pochs:</source>
        <translation>轮数(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Batch size:</source>
        <translation>批大小(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Optimizer:</source>
        <translation>优化器(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Learning rate:</source>
        <translation>学习率(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Momentum:</source>
        <translation>动量(&amp;M)：</translation>
    </message>
    <message>
        <source>S&amp;chedule:</source>
        <translation>调度(&amp;C)：</translation>
    </message>
    <message>
        <source>T&amp;raining data:</source>
        <translation>训练数据(&amp;R)：</translation>
    </message>
    <message>
        <source>Dev&amp;ice:</source>
        <translation>设备(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Seed:</source>
        <translation>种子(&amp;S)：</translation>
    </message>
    <message>
        <source>Dat&amp;a folder:</source>
        <translation>数据文件夹(&amp;A)：</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Choose the MNIST data folder</source>
        <translation>选择 MNIST 数据文件夹</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Training {network}: {recipe} · seed {seed}</source>
        <translation>训练 {network}：{recipe} · 种子 {seed}</translation>
    </message>
    <message>
        <source>Data folder: {folder}</source>
        <translation>数据文件夹：{folder}</translation>
    </message>
    <message>
        <source>Stop training?</source>
        <translation>停止训练？</translation>
    </message>
    <message>
        <source>Stop the run at {position}? Epoch {epoch} is the best so far: {accuracy} test accuracy.</source>
        <translation>在{position}停止训练吗？目前最好的是第 {epoch} 轮：测试准确率 {accuracy}。</translation>
    </message>
    <message>
        <source>You can keep that epoch as a model in your library, or keep nothing.</source>
        <translation>你可以把那一轮作为模型保留在模型库中，也可以什么都不保留。</translation>
    </message>
    <message>
        <source>Stop and keep epoch {epoch}</source>
        <translation>停止并保留第 {epoch} 轮</translation>
    </message>
    <message>
        <source>Stop, keep nothing</source>
        <translation>停止，不保留</translation>
    </message>
    <message>
        <source>Continue training</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>已继续</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <source>Epoch 1/{epochs} · starting…</source>
        <translation>第 1/{epochs} 轮 · 正在开始…</translation>
    </message>
    <message>
        <source>On {device}: {train} training and {test} test images, {batches} batches per epoch</source>
        <translation>在 {device} 上：{train} 张训练图像，{test} 张测试图像，每轮 {batches} 批</translation>
    </message>
    <message>
        <source>Running on {device} · {reason}</source>
        <translation>在 {device} 上运行 · {reason}</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs}  train loss {loss}  test accuracy {accuracy}  {seconds} s  {speed} samples/s</source>
        <translation>第 {epoch}/{epochs} 轮  训练损失 {loss}  测试准确率 {accuracy}  {seconds} 秒  {speed} 样本/秒</translation>
    </message>
    <message>
        <source>Stopped · {position}</source>
        <translation>已停止 · {position}</translation>
    </message>
    <message>
        <source>Stopped after {done} of {epochs}: nothing was saved, the current model stays active.</source>
        <translation>完成 {done} 轮（共 {epochs}）后停止：未保存任何内容，当前模型保持启用。</translation>
    </message>
    <message>
        <source>Stopped after {done} of {epochs}: kept the best epoch as {path}</source>
        <translation>完成 {done} 轮（共 {epochs}）后停止：最好的一轮已保存为 {path}</translation>
    </message>
    <message>
        <source>Done · test accuracy {accuracy} · {time}</source>
        <translation>完成 · 测试准确率 {accuracy} · {time}</translation>
    </message>
    <message>
        <source>Finished: test accuracy {accuracy} in {seconds} s</source>
        <translation>完成：测试准确率 {accuracy}，用时 {seconds} 秒</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Diverged · test accuracy {accuracy}</source>
        <translation>发散 · 测试准确率 {accuracy}</translation>
    </message>
    <message>
        <source>The run diverged: {why}. It was not saved and the current model stays active; try a lower learning rate than {lr}.</source>
        <translation>训练发散了：{why}。没有保存，当前模型保持启用；请尝试低于 {lr} 的学习率。</translation>
    </message>
    <message>
        <source>The run diverged</source>
        <translation>训练发散了</translation>
    </message>
    <message>
        <source>Paused after {batches}</source>
        <translation>已在 {batches}后暂停</translation>
    </message>
    <message>
        <source>The run did not learn enough</source>
        <translation>训练学得不够</translation>
    </message>
    <message>
        <source>Did not learn enough · test accuracy {accuracy}</source>
        <translation>学得不够 · 测试准确率 {accuracy}</translation>
    </message>
    <message>
        <source>The run did not learn enough: {why}. It was not saved and the current model stays active; train for more epochs, or try another learning rate than {lr}.</source>
        <translation>训练学得不够：{why}。没有保存，当前模型保持启用；请训练更多轮，或尝试不同于 {lr} 的学习率。</translation>
    </message>
    <message>
        <source>Keep it in the library anyway (it will not become active)?</source>
        <translation>仍然把它保留在模型库中吗（不会被启用）？</translation>
    </message>
    <message>
        <source>Discard it</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Keep it in the library</source>
        <translation>保留在模型库中</translation>
    </message>
    <message>
        <source>Could not keep the run&apos;s model: {error}</source>
        <translation>无法保留本次训练的模型：{error}</translation>
    </message>
    <message>
        <source>Kept {path} in the library</source>
        <translation>已将 {path} 保留在模型库中</translation>
    </message>
    <message>
        <source>loading MNIST</source>
        <translation>加载 MNIST 阶段</translation>
    </message>
    <message>
        <source>its start</source>
        <translation>开始阶段</translation>
    </message>
    <message>
        <source>epoch {epoch}/{epochs}</source>
        <translation>第 {epoch}/{epochs} 轮</translation>
    </message>
    <message>
        <source>Stopping training…</source>
        <translation>正在停止训练…</translation>
    </message>
    <message>
        <source>Training {network}: paused at {position}</source>
        <translation>正在训练 {network}：暂停于{position}</translation>
    </message>
    <message>
        <source>Training {network}: {position}</source>
        <translation>正在训练 {network}：{position}</translation>
    </message>
    <message>
        <source>waiting for the first batches</source>
        <translation>等待第一批数据</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} · batch {batch}/{batches}</source>
        <translation>第 {epoch}/{epochs} 轮 · 第 {batch}/{batches} 批</translation>
    </message>
    <message>
        <source>ETA {time} · {speed} samples/s</source>
        <translation>剩余 {time} · {speed} 样本/秒</translation>
    </message>
    <message>
        <source>Paused · {position}</source>
        <translation>已暂停 · {position}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Recommended settings in use</source>
        <translation>正在使用推荐设置</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <source>Out of memory: try a smaller batch size, or the mlp network.</source>
        <translation>内存不足：试试更小的批大小，或者使用 mlp 网络。</translation>
    </message>
    <message>
        <source>Unexpected {error}: {text}</source>
        <translation>意外的 {error}：{text}</translation>
    </message>
</context>
</TS>
